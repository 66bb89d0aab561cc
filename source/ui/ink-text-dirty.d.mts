export declare function keepLayoutOnSameShapeText(source: string): string;
