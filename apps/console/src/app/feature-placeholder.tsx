import type { ConsoleSection } from './features.ts';

/** Stands in for a section that is not built yet, saying what will be there. */
export function FeaturePlaceholder({ section }: { section: ConsoleSection }) {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{section.label}</h1>
      <p className="placeholder">{section.summary}</p>
      <p className="muted">This page is coming.</p>
    </section>
  );
}
