export declare function yogaSyncWasm(source: string): string;
