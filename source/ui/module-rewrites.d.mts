export declare const REWRITTEN_MODULES: readonly string[];
export declare function rewriteModuleSource(location: string, source: string): string | undefined;
