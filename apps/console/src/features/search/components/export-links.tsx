/** Download links for the current search: the whole match, not only the loaded pages. */
export function ExportLinks({ ndjsonHref, csvHref }: { ndjsonHref: string; csvHref: string }) {
  return (
    <p className="export-links">
      Export all matches:{' '}
      <a href={ndjsonHref} download>
        NDJSON
      </a>{' '}
      ·{' '}
      <a href={csvHref} download>
        CSV
      </a>
    </p>
  );
}
