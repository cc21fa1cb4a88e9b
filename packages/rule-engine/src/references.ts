/**
 * `${…}` references in conditions and macros (reference §3.4). Every item of every Rule CR is addressable
 * as `<rule CR name>.<item name>`; a reference `${key}` is looked up first as `<own CR>.<key>`, then as
 * `key` itself, which is how `${alerting-rule.pod}` works from any CR. By the referenced item's type:
 * a macro inserts its condition text, an alias its field path, a list `("a","b",…)`.
 *
 * Improvements over KubeSphere, which expands once and drops any rule whose macros contain references:
 *  - Macros may use other macros, lists and aliases; expansion is recursive (a macro's own references
 *    resolve against the macro's CR first) and a cycle is reported with its path (`a → b → a`).
 *  - A macro is inserted in parentheses, so `x and ${m}` with `m: a or b` means `x and (a or b)`;
 *    KubeSphere pasted the text as is, giving `(x and a) or b` under its equal-precedence and/or.
 *  - List values are escaped, so a value containing `"` or `\` stays one string literal.
 */

import type { PolicyRuleItem } from './rule-types.ts';

export interface IndexedItem {
  ruleCR: string;
  item: PolicyRuleItem;
}

/** All items of all Rule CRs, keyed `<rule CR name>.<item name>`. */
export type ItemIndex = ReadonlyMap<string, IndexedItem>;

export class RuleReferenceError extends Error {
  override name = 'RuleReferenceError';
}

const referencePattern = /\$\{(.*?)\}/g;

/** Beyond this a condition is assumed to be a macro explosion (each level doubling), not a real rule. */
const maxExpandedLength = 100_000;

/** Where `${reference}` in an item of `ownCR` points, or undefined when neither lookup finds it. */
export function resolveReference(index: ItemIndex, ownCR: string, reference: string): IndexedItem | undefined {
  return index.get(`${ownCR}.${reference}`) ?? index.get(reference);
}

export class ReferenceExpander {
  readonly #index: ItemIndex;
  readonly #macroCache = new Map<IndexedItem, string>();

  constructor(index: ItemIndex) {
    this.#index = index;
  }

  /** Expands every reference in `text`, written in Rule CR `ownCR`; throws `RuleReferenceError`. */
  expand(text: string, ownCR: string): string {
    const expanded = this.#expand(text, ownCR, []);
    if (expanded.length > maxExpandedLength) {
      throw new RuleReferenceError(`the expanded condition is longer than ${maxExpandedLength} characters`);
    }
    return expanded;
  }

  #expand(text: string, ownCR: string, chain: readonly string[]): string {
    return text.replace(referencePattern, (_whole, reference: string) => {
      const target = resolveReference(this.#index, ownCR, reference);
      if (target === undefined) {
        throw new RuleReferenceError(
          `\${${reference}} is not defined: there is no item "${reference}" in Rule ${ownCR}, ` +
            `and no item "<rule>.<item>" named "${reference}"`,
        );
      }
      const label = `${target.ruleCR}.${target.item.name}`;
      switch (target.item.type) {
        case 'macro':
          return `(${this.#macro(target, label, chain)})`;
        case 'alias': {
          const alias = textOf(target.item.alias);
          if (!alias)
            throw new RuleReferenceError(`\${${reference}} refers to alias ${label}, which has no alias path`);
          return alias;
        }
        case 'list': {
          const values = Array.isArray(target.item.list) ? target.item.list : [];
          if (values.length === 0)
            throw new RuleReferenceError(`\${${reference}} refers to list ${label}, which is empty`);
          return `(${values.map(quote).join(',')})`;
        }
        default:
          throw new RuleReferenceError(
            `\${${reference}} refers to ${label} of type ${JSON.stringify(target.item.type ?? '')}; ` +
              'only macros, lists and aliases can be referenced',
          );
      }
    });
  }

  #macro(target: IndexedItem, label: string, chain: readonly string[]): string {
    const cached = this.#macroCache.get(target);
    if (cached !== undefined) return cached;
    if (chain.includes(label)) {
      const cycle = [...chain.slice(chain.indexOf(label)), label].join(' → ');
      throw new RuleReferenceError(`macro cycle: ${cycle}`);
    }
    const text = textOf(target.item.macro);
    if (!text) throw new RuleReferenceError(`macro ${label} has no condition text`);
    const expanded = this.#expand(text, target.ruleCR, [...chain, label]);
    if (expanded.length > maxExpandedLength) {
      throw new RuleReferenceError(`macro ${label} expands to more than ${maxExpandedLength} characters`);
    }
    this.#macroCache.set(target, expanded);
    return expanded;
  }
}

function quote(value: unknown): string {
  return `"${String(value).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

// Rule CRs arrive unvalidated: a field meant to hold text may hold anything.
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
