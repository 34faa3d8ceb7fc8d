import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

/**
 * Every API route × every role. The route list comes from the app itself, so a new route without
 * an entry here fails the test. Routes on one petition are scoped (data-scope.test.ts covers them
 * per person × in/out of scope); the rest are checked here role by role: a role that may not use
 * the route gets 403 ROLE_NOT_ALLOWED, one that may never gets 401 or 403.
 */
let sys: TestSystem;
beforeAll(async () => { sys = await startTestSystem({ worker: false, commandWaitMs: 0 }); });
afterAll(async () => { await sys.close(); });

const ROLES = ['clerk', 'dispatcher', 'handler', 'department_head', 'follow_up', 'supervisor', 'leader', 'admin', 'resident'] as const;
type Role = (typeof ROLES)[number];
const STAFF: Role[] = ['clerk', 'dispatcher', 'handler', 'department_head', 'follow_up', 'supervisor', 'leader', 'admin'];
const INTAKE: Role[] = ['clerk', 'dispatcher', 'supervisor', 'admin'];
const ADMIN: Role[] = ['admin'];
const REPORTS: Role[] = ['supervisor', 'leader', 'admin'];
const settings = { weights: { response: 30, resolution: 35, satisfaction: 35 }, satisfactionPoints: { satisfied: 100, basically_satisfied: 80, dissatisfied: 0 }, noFeedback: 'excluded', ranking: { advancedShare: 0.1, rectifyShare: 0.1, improvedMinRise: 5, governanceCount: 10 } };

type Rule =
  | { kind: 'public' }
  | { kind: 'session' }
  | { kind: 'scoped' }
  | { kind: 'roles'; roles: readonly Role[]; call: (n: number) => Omit<InjectOptions, 'headers'> };

let n = 0;
const policy = { categoryId: null, urgency: 'normal', signFor: { amount: 2, unit: 'working_hours' }, handling: { amount: 5, unit: 'working_days' }, feedback: { amount: 1, unit: 'working_days' }, reminderShare: 0.75 };

function matrix(): Record<string, Rule> {
  const pub: Rule = { kind: 'public' };
  const scoped: Rule = { kind: 'scoped' };
  const roles = (r: readonly Role[], call: (n: number) => Omit<InjectOptions, 'headers'>): Rule => ({ kind: 'roles', roles: r, call });
  return {
    'GET /health': pub, 'GET /auth/config': pub, 'POST /auth/login': pub, 'POST /auth/refresh': pub,
    'GET /track/:trackingNo': pub, 'POST /track/:trackingNo/rating': pub,
    'POST /open311/v2/requests.:format': pub,
    ...Object.fromEntries(['discovery', 'services', 'requests'].flatMap((f) => ['json', 'xml'].map((x) => [`GET /open311/v2/${f}.${x}`, pub]))), 'GET /open311/v2/services/:file': pub, 'GET /open311/v2/requests/:file': pub, 'GET /open311/v2/tokens/:file': pub,
    'POST /auth/logout': { kind: 'session' }, 'GET /auth/me': { kind: 'session' },
    'GET /admin/users': roles(ADMIN, () => ({ method: 'GET', url: '/admin/users' })),
    'POST /admin/users': roles(ADMIN, (i) => ({ method: 'POST', url: '/admin/users', payload: { username: `matrix${i}`, displayName: '矩阵', role: 'clerk', unitId: null, password: 'a long enough password' } })),
    'PATCH /admin/users/:id': roles(ADMIN, () => ({ method: 'PATCH', url: `/admin/users/${randomUUID()}`, payload: { displayName: '改名' } })),
    'GET /org-units': roles(ROLES, () => ({ method: 'GET', url: '/org-units' })),
    'GET /categories': roles(ROLES, () => ({ method: 'GET', url: '/categories' })),
    'POST /petitions': roles(INTAKE, () => ({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs) })),
    'POST /petitions/duplicate-check': roles(INTAKE, () => ({ method: 'POST', url: '/petitions/duplicate-check', payload: { categoryId: sys.refs.category('city.noise'), districtId: sys.refs.unit('zz-js'), title: '夜市噪音', content: '每晚十点以后音响声音很大' } })),
    'GET /petitions': scoped, 'GET /petitions/:id': scoped, 'GET /petitions/by-tracking-number/:trackingNo': scoped, 'GET /commands/:id': scoped,
    'GET /petitions/:id/contact': scoped, 'GET /units/:unitId/tasks': scoped,
    ...Object.fromEntries(['answer', 'reject', 'merge', 'dispatch', 'redispatch', 'sign-for', 'return', 'notes', 'opinions', 'extension-requests',
      'extension-decisions', 'suspension-requests', 'suspension-decisions', 'resume', 'complete', 'review-approval', 'send-back', 'rate', 'withdraw']
      .map((c) => [`POST /petitions/:id/${c}`, scoped])),
    'GET /admin/notifications/dead-letter': roles(['admin', 'supervisor'], () => ({ method: 'GET', url: '/admin/notifications/dead-letter' })),
    'POST /admin/notifications/:id/retry': roles(ADMIN, () => ({ method: 'POST', url: `/admin/notifications/${randomUUID()}/retry`, payload: {} })),
    'GET /calendar': roles(STAFF, () => ({ method: 'GET', url: '/calendar?year=2026' })),
    'PUT /calendar/:date': roles(ADMIN, () => ({ method: 'PUT', url: '/calendar/2031-01-02', payload: { isWorkday: false, note: '矩阵测试' } })),
    'DELETE /calendar/:date': roles(ADMIN, () => ({ method: 'DELETE', url: '/calendar/2031-01-03' })),
    'GET /sla-policies': roles(STAFF, () => ({ method: 'GET', url: '/sla-policies' })),
    'PUT /sla-policies': roles(ADMIN, () => ({ method: 'PUT', url: '/sla-policies', payload: policy })),
    'DELETE /sla-policies/:categoryId/:urgency': roles(ADMIN, () => ({ method: 'DELETE', url: `/sla-policies/${randomUUID()}/normal` })),
    'GET /deadlines/preview': roles(STAFF, () => ({ method: 'GET', url: '/deadlines/preview?urgency=normal' })),
    'GET /admin/open311-keys': roles(ADMIN, () => ({ method: 'GET', url: '/admin/open311-keys' })),
    'POST /admin/open311-keys': roles(ADMIN, (i) => ({ method: 'POST', url: '/admin/open311-keys', payload: { name: `矩阵 ${i}` } })),
    'DELETE /admin/open311-keys/:id': roles(ADMIN, () => ({ method: 'DELETE', url: `/admin/open311-keys/${randomUUID()}` })),
    'GET /reports/summary': roles(REPORTS, () => ({ method: 'GET', url: '/reports/summary?period=month&date=2026-03-01&groupBy=category' })),
    'GET /reports/ranking': roles(REPORTS, () => ({ method: 'GET', url: '/reports/ranking?date=2026-03-01' })),
    'GET /reports/trend': roles(REPORTS, () => ({ method: 'GET', url: '/reports/trend?date=2026-03-01&months=3' })),
    'GET /reports/hot-issues': roles(REPORTS, () => ({ method: 'GET', url: '/reports/hot-issues?date=2026-03-01' })),
    'GET /reports/overdue': roles(REPORTS, () => ({ method: 'GET', url: '/reports/overdue?limit=5' })),
    'GET /reports/settings': roles(REPORTS, () => ({ method: 'GET', url: '/reports/settings' })),
    'PUT /reports/settings': roles(ADMIN, () => ({ method: 'PUT', url: '/reports/settings', payload: settings })),
  };
}

/** API routes as the app registered them: not the UI's files or the docs. */
function apiRoutes() {
  const staticFile = (url: string) => !url.startsWith('/open311/') && /\/[^/:]+\.[a-z0-9]+$/i.test(url);
  return sys.app.routeCatalogue.filter((r) => r.url !== '/' && !r.url.startsWith('/docs') && !staticFile(r.url));
}

const headersOf = (role: Role) => ({
  'x-actor-id': `matrix-${role}`, 'x-actor-role': role,
  ...(role === 'handler' || role === 'department_head' ? { 'x-actor-unit': sys.refs.unit('zz-js-cgj') } : {}),
});

describe('authorization matrix', () => {
  it('has an entry for every API route, and public entries are exactly the routes marked public', () => {
    const rules = matrix();
    const keys = apiRoutes().map((r) => `${r.method} ${r.url}`);
    expect(keys.filter((k) => !(k in rules)), 'routes without a matrix entry').toEqual([]);
    expect(Object.keys(rules).filter((k) => !keys.includes(k)), 'matrix entries without a route').toEqual([]);
    for (const r of apiRoutes()) expect(rules[`${r.method} ${r.url}`]!.kind === 'public', `${r.method} ${r.url}`).toBe(r.public);
  });

  it('refuses every role a role-checked route does not allow with 403, and lets the allowed ones through', async () => {
    for (const [route, rule] of Object.entries(matrix())) {
      if (rule.kind !== 'roles') continue;
      for (const role of ROLES) {
        const res = await sys.app.inject({ ...rule.call(n++), headers: headersOf(role) } as InjectOptions);
        const label = `${role} → ${route}: ${res.statusCode} ${res.body.slice(0, 120)}`;
        if (rule.roles.includes(role)) {
          expect([401, 403], label).not.toContain(res.statusCode);
          expect(res.statusCode, label).toBeLessThan(500);
        } else {
          expect(res.statusCode, label).toBe(403);
          expect(res.json().code, label).toBe('ROLE_NOT_ALLOWED');
        }
      }
    }
  });

  it('answers 401 to every non-public route without sign-in when the development identity is off', async () => {
    const strict = await startTestSystem({ worker: false, commandWaitMs: 0, auth: { devIdentity: false } });
    try {
      for (const [route, rule] of Object.entries(matrix())) {
        if (rule.kind === 'public') continue;
        const [method, url] = route.split(' ') as [string, string];
        const concrete = url.replaceAll(':id', randomUUID()).replaceAll(':unitId', randomUUID()).replace(':trackingNo', '2026010100000001')
          .replace(':date', '2031-01-02').replace(':categoryId', randomUUID()).replace(':urgency', 'normal');
        const res = await strict.app.inject({ method: method as 'GET', url: concrete, ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }), headers: { 'x-actor-role': 'admin' } });
        expect(res.statusCode, `${route} without a token`).toBe(401);
      }
    } finally {
      await strict.close();
    }
  });
});
