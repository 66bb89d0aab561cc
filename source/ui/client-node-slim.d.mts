export declare function slimClientNodeConfig(source: string): string;
export declare function lazyClientNodeFetch(source: string): string;
