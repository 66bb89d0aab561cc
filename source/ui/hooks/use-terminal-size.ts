import { useEffect } from 'react';
import { useStdout } from 'ink';

/** Reports the terminal size now and on every resize (only for a real terminal, which has rows). */
export function useTerminalSize(onResize: (columns: number, rows: number) => void): void {
  const { stdout } = useStdout();
  useEffect(() => {
    const update = () => {
      if (typeof stdout.rows === 'number' && stdout.columns) onResize(stdout.columns, stdout.rows);
    };
    update();
    stdout.on('resize', update);
    return () => {
      stdout.off('resize', update);
    };
  }, [stdout, onResize]);
}
