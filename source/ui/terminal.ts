/** Alternate screen and cursor, restored exactly once whatever way the process ends. */
const ENTER = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?25l';
// Mouse reporting (source/ui/mouse/sgr.ts) is switched off too, whether or not it was on.
const LEAVE = '\x1b[?1006l\x1b[?1000l\x1b[?25h\x1b[?1049l';

export interface Fullscreen {
  restore(): void;
}

export function enterFullscreen(stdout: NodeJS.WriteStream): Fullscreen {
  if (!stdout.isTTY) return { restore: () => {} };
  stdout.write(ENTER);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.off('exit', restore);
    stdout.write(LEAVE);
  };
  process.on('exit', restore);
  return { restore };
}
