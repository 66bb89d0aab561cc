declare module 'color-name' {
  /** The CSS/W3C colour names (the ones k9s skins use, via tcell) as RGB triples. */
  const colors: Readonly<Record<string, readonly [number, number, number]>>;
  export default colors;
}
