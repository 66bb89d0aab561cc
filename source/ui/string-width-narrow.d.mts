export declare const NARROW_TEXT: RegExp;
export declare function narrowFastPath(source: string): string;
