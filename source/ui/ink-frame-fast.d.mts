export declare function fastStyledChars(source: string): string;
export declare function sharedBlankCell(source: string): string;
export declare function cachedRowStrings(source: string): string;
