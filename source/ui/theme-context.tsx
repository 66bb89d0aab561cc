import React, { createContext, useContext } from 'react';
import { darkTheme, type Theme } from './theme.ts';
import type { Tone } from './table/status.ts';

const ThemeContext = createContext<Theme>(darkTheme);

export function ThemeProvider({ theme, children }: { theme: Theme; children: React.ReactNode }) {
  return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

export function toneColor(theme: Theme, tone: Tone): string | undefined {
  switch (tone) {
    case 'ok':
      return theme.ok;
    case 'warn':
      return theme.warn;
    case 'error':
      return theme.error;
    case 'dim':
      return theme.dim;
    default:
      return undefined;
  }
}
