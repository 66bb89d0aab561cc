export declare function slimClientNodeConfig(source: string): string;
