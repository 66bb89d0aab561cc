// Ink 6.8 marks a text's Yoga node dirty whenever its characters change, so the next frame lays
// out the tree again and measures the text anew. A truncated text whose printable ASCII was
// replaced by as many other printable ASCII characters (an AGE cell going from "5s" to "6s")
// measures the same at any width: its layout is kept, and the frame prints the new characters
// anyway (rendering reads the text, not the layout). Applied by the module hook (ink-cache-hook.mjs).

const SET_TEXT = `export const setTextNodeValue = (node, text) => {
    if (typeof text !== 'string') {
        text = String(text);
    }
    node.nodeValue = text;
    markNodeAsDirty(node);
};`;

const SET_TEXT_KEEPING_LAYOUT = `const sameAsciiShape = (a, b) => {
    if (typeof a !== 'string' || a.length !== b.length) return false;
    for (let i = 0; i < b.length; i++) {
        const x = a.charCodeAt(i);
        const y = b.charCodeAt(i);
        if (x < 0x20 || x > 0x7e || y < 0x20 || y > 0x7e) return false;
    }
    return true;
};
export const setTextNodeValue = (node, text) => {
    if (typeof text !== 'string') {
        text = String(text);
    }
    const before = node.nodeValue;
    node.nodeValue = text;
    let owner = node.parentNode;
    while (owner && !owner.yogaNode) owner = owner.parentNode;
    if (owner?.nodeName === 'ink-text' && String(owner.style?.textWrap ?? '').startsWith('truncate') && sameAsciiShape(before, text)) {
        return;
    }
    markNodeAsDirty(node);
};`;

/** Rewrites ink's dom.js; the source unchanged when it does not look as expected. */
export function keepLayoutOnSameShapeText(source) {
  if (!source.includes(SET_TEXT)) return source;
  return source.replace(SET_TEXT, SET_TEXT_KEEPING_LAYOUT);
}
