import { useEffect, useState } from 'react';
import { Text } from 'ink';
import { useTheme } from '../theme-context.tsx';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function Spinner({ label }: { label: string }) {
  const theme = useTheme();
  const [i, setI] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setI((n) => (n + 1) % FRAMES.length), 100);
    return () => clearInterval(t);
  }, []);
  return (
    <Text wrap="truncate">
      <Text color={theme.accent}>{FRAMES[i]}</Text> {label}
    </Text>
  );
}
