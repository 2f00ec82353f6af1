import { useState } from 'react';

export interface InputPromptProps {
  prompt: string;
  password: boolean;
  /** False when the kernel is gone: the box is shown but disabled. */
  disabled?: boolean;
  onSubmit: (value: string) => void;
}

/** The box for a kernel's `input_request` (`input()`, `getpass()`); Enter sends the reply. */
export function InputPrompt({ prompt, password, disabled, onSubmit }: InputPromptProps): React.JSX.Element {
  const [value, setValue] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  if (sent !== null) {
    return (
      <div className="quire-output-input is-sent">
        <span className="quire-output-input-prompt">{prompt}</span>
        <span className="quire-output-input-value">{password ? '••••••••' : sent}</span>
      </div>
    );
  }
  return (
    <label className="quire-output-input">
      <span className="quire-output-input-prompt">{prompt}</span>
      <input
        // Focus the box as soon as the kernel asks: the user is waiting on it.
        autoFocus
        type={password ? 'password' : 'text'}
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        value={value}
        aria-label={prompt || 'Input'}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
            e.preventDefault();
            setSent(value);
            onSubmit(value);
          }
        }}
      />
    </label>
  );
}
