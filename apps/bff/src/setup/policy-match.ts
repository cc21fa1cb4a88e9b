import type { AuditLevel, Stage } from '@auditorium/audit-model';
import type { AuditPolicy, PolicyRule } from './audit-policy-schema.ts';

/**
 * Which level and stages kube-apiserver gives a request under a policy: the first rule that matches wins,
 * no match means None (kubernetes/apiserver pkg/audit/policy/checker.go, followed line by line).
 */
export interface RequestAttributes {
  user?: string;
  userGroups?: string[];
  verb: string;
  /** Resource requests: '' is the core group. */
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Non-resource requests (no `resource`): the URL path, e.g. /healthz. */
  path?: string;
}

export interface PolicyDecision {
  level: AuditLevel;
  omitStages: Stage[];
  /** Index of the matching rule in policy.rules; -1 when none matched. */
  ruleIndex: number;
}

function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) return true;
  return spec.endsWith('*') && path.startsWith(spec.replace(/\*+$/, ''));
}

function matchesResource(rule: PolicyRule, request: RequestAttributes): boolean {
  if (request.resource === undefined) return false;
  if (rule.namespaces?.length && !rule.namespaces.includes(request.namespace ?? '')) return false;
  if (!rule.resources?.length) return true;
  const group = request.group ?? '';
  const combined = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  return rule.resources.some((groupResources) => {
    const ruleGroup = groupResources.group ?? '';
    if (ruleGroup !== group && ruleGroup !== '*') return false;
    if (!groupResources.resources?.length) return true;
    return groupResources.resources.some((resource) => {
      if (groupResources.resourceNames?.length && !groupResources.resourceNames.includes(request.name ?? '')) {
        return false;
      }
      if (resource === combined || resource === '*') return true;
      if (request.subresource && resource.startsWith('*/') && request.subresource === resource.slice(2)) return true;
      return resource.endsWith('/*') && request.resource === resource.slice(0, -2);
    });
  });
}

export function ruleMatches(rule: PolicyRule, request: RequestAttributes): boolean {
  if (rule.users?.length && !rule.users.includes(request.user ?? '')) return false;
  if (rule.userGroups?.length && !(request.userGroups ?? []).some((group) => rule.userGroups!.includes(group))) {
    return false;
  }
  if (rule.verbs?.length && !rule.verbs.includes(request.verb)) return false;
  if (rule.namespaces?.length || rule.resources?.length) return matchesResource(rule, request);
  if (rule.nonResourceURLs?.length) {
    return request.resource === undefined && rule.nonResourceURLs.some((spec) => pathMatches(request.path ?? '', spec));
  }
  return true;
}

export function decideLevel(policy: AuditPolicy, request: RequestAttributes): PolicyDecision {
  const ruleIndex = policy.rules.findIndex((rule) => ruleMatches(rule, request));
  const rule = policy.rules[ruleIndex];
  if (!rule) return { level: 'None', omitStages: [], ruleIndex: -1 };
  const omitStages = [...new Set([...(policy.omitStages ?? []), ...(rule.omitStages ?? [])])];
  return { level: rule.level, omitStages, ruleIndex };
}
