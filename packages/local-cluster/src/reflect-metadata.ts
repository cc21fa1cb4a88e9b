// The smallest Reflect metadata API that @peculiar/x509 2.x needs: its dependency tsyringe refuses to load
// unless Reflect.getMetadata exists, and then calls only defineMetadata, getMetadata and getOwnMetadata.
// The usual answer is the `reflect-metadata` package; it is not among this package's dependencies, so this
// stands in for it (swap it for `import 'reflect-metadata'` once that dependency is added). Import it before
// @peculiar/x509.
type MetadataKey = unknown;
type Target = object;

const store = new WeakMap<Target, Map<PropertyKey | undefined, Map<MetadataKey, unknown>>>();

function own(
  target: Target,
  property: PropertyKey | undefined,
  create: boolean,
): Map<MetadataKey, unknown> | undefined {
  let byProperty = store.get(target);
  if (!byProperty) {
    if (!create) return undefined;
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let entries = byProperty.get(property);
  if (!entries && create) {
    entries = new Map();
    byProperty.set(property, entries);
  }
  return entries;
}

const metadataApi = {
  defineMetadata(key: MetadataKey, value: unknown, target: Target, property?: PropertyKey): void {
    own(target, property, true)?.set(key, value);
  },
  getOwnMetadata(key: MetadataKey, target: Target, property?: PropertyKey): unknown {
    return own(target, property, false)?.get(key);
  },
  getMetadata(key: MetadataKey, target: Target, property?: PropertyKey): unknown {
    for (let current: Target | null = target; current; current = Object.getPrototypeOf(current) as Target | null) {
      const entries = own(current, property, false);
      if (entries?.has(key)) return entries.get(key);
    }
    return undefined;
  },
};

const reflect = Reflect as unknown as Record<string, unknown>;
for (const [name, fn] of Object.entries(metadataApi)) {
  if (typeof reflect[name] !== 'function') reflect[name] = fn;
}
