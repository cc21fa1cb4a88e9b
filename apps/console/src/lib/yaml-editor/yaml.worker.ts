// Vite bundles a worker from a file of ours, not from a package's deep path (monaco-yaml README, "Why doesn't it
// work with Vite?"), so this wrapper exists only to be imported with `?worker`.
import 'monaco-yaml/yaml.worker.js';
