export declare const INK_CACHE_LIMIT: number;
export declare function boundInkCaches(source: string, file: 'measure-text' | 'wrap-text' | 'output' | string): string;
