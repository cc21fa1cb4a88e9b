import { useState } from 'react';

export interface GeneratedFileProps {
  /** Heading id and accessible name for the block. */
  id: string;
  title: string;
  description?: string;
  /** Where the file goes on the node. */
  path?: string;
  /** The file's name when downloaded; omitted for text that is only copied (flags). */
  fileName?: string;
  text: string;
  onCopy: (text: string) => Promise<void>;
  onDownload?: (fileName: string, text: string) => void;
}

/** A generated file shown as text, with copy and download buttons. */
export function GeneratedFile({
  id,
  title,
  description,
  path,
  fileName,
  text,
  onCopy,
  onDownload,
}: GeneratedFileProps) {
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await onCopy(text);
      setCopyState('copied');
    } catch {
      setCopyState('failed');
    }
  };
  return (
    <section className="generated-file" aria-labelledby={id}>
      <header className="generated-file-header">
        <h3 id={id}>
          {title}
          {fileName ? <code className="generated-file-name">{fileName}</code> : null}
        </h3>
        <div className="generated-file-actions">
          <button type="button" onClick={copy} aria-describedby={`${id}-copy-state`}>
            Copy {fileName ?? title}
          </button>
          {fileName && onDownload ? (
            <button type="button" onClick={() => onDownload(fileName, text)}>
              Download {fileName}
            </button>
          ) : null}
          <span id={`${id}-copy-state`} className="muted" aria-live="polite">
            {copyState === 'copied' ? 'Copied' : copyState === 'failed' ? 'Copy failed: select the text instead' : ''}
          </span>
        </div>
      </header>
      {description || path ? (
        <p className="muted generated-file-about">
          {description}{' '}
          {path ? (
            <>
              Goes to <code>{path}</code>.
            </>
          ) : null}
        </p>
      ) : null}
      {/* A read-only text field rather than a focusable <pre>: keyboard users can reach, scroll and select it
          (Ctrl+A inside selects the file only), and the content stays plain text. */}
      <textarea
        className="generated-file-text"
        readOnly
        spellCheck={false}
        wrap="off"
        rows={Math.min(Math.max(text.split('\n').length, 3), 24)}
        value={text}
        aria-label={`${title} text`}
      />
    </section>
  );
}
