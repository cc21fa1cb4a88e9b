import type { CrdVersion, PrinterColumnDefinition } from './custom-resources.ts';
import { evaluateJsonPath, parseJsonPath, UnsupportedJsonPath } from './json-path.ts';

/**
 * A CRD's `additionalPrinterColumns`, evaluated per object the way `kubectl get` shows them: one
 * selected value is typed by the column's type; several are joined by spaces (kubectl's JSONPath
 * printing); none is an empty cell.
 */
export type Cell = string | number | boolean | null;

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  format?: string;
  /** 0 = always shown; above 0 only in the wide view (`kubectl get -o wide`). */
  priority: number;
  /** Why the column stays empty when its JSONPath is beyond the supported subset. */
  unsupported?: string;
}

interface CompiledColumn {
  column: PrinterColumn;
  evaluate?: (object: unknown) => unknown[];
}

const creationTimestampPath = '.metadata.creationTimestamp';

export function compileColumns(version: CrdVersion): CompiledColumn[] {
  return (version.additionalPrinterColumns ?? []).map((definition: PrinterColumnDefinition) => {
    const column: PrinterColumn = {
      name: definition.name,
      type: definition.type,
      jsonPath: definition.jsonPath,
      priority: definition.priority ?? 0,
    };
    if (definition.description) column.description = definition.description;
    if (definition.format) column.format = definition.format;
    try {
      const steps = parseJsonPath(definition.jsonPath);
      return { column, evaluate: (object: unknown) => evaluateJsonPath(steps, object) };
    } catch (error) {
      if (!(error instanceof UnsupportedJsonPath)) throw error;
      column.unsupported = error.message;
      return { column };
    }
  });
}

/** True when no printer column already shows the creation time (then the console adds an Age column). */
export function needsAgeColumn(columns: CompiledColumn[]): boolean {
  return !columns.some(({ column }) => column.jsonPath.replace(/^\{|\}$/g, '').trim() === creationTimestampPath);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function typedCell(type: string, value: unknown): Cell {
  switch (type) {
    case 'integer':
    case 'number': {
      const number = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(number)) return null;
      return type === 'integer' ? Math.trunc(number) : number;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : null;
    default:
      return text(value);
  }
}

export function cellsFor(columns: CompiledColumn[], object: unknown): Cell[] {
  return columns.map(({ column, evaluate }) => {
    const values = evaluate?.(object) ?? [];
    if (values.length === 0) return null;
    if (values.length === 1) return typedCell(column.type, values[0]);
    return values.map(text).join(' ');
  });
}
