import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, eventually, refIds, testQueueSettings, type TestDatabase } from '../support/fixtures.js';
import { freePort, REPO_ROOT, startService, stopServicesAndCleanUp, type ServiceProcess } from '../support/processes.js';
import { noiseComplaint } from '../support/system.js';

/**
 * The web UI in a real browser (Debian's Chromium through playwright-core; `infra/dev.sh test`
 * installs it when missing), against the API and the worker as processes. The UI acts as the demo
 * identity the test stores, as the UI's own 演示身份 selector does.
 */
let tdb: TestDatabase;
let procs: ServiceProcess[] = [];
let browser: Browser;
let base = '';
let prefix = '';
let refs: Awaited<ReturnType<typeof refIds>>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  refs = await refIds(tdb.db);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  prefix = testQueueSettings().prefix;
  const env = {
    DATABASE_URL: tdb.url, REDIS_URL: process.env.REDIS_URL!, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port),
    PETITIONS_ENCRYPTION_KEY: randomBytes(32).toString('base64'), PETITIONS_HMAC_KEY: randomBytes(32).toString('base64'),
    DB_POOL_SIZE: '4', API_DEV_IDENTITY: 'true', API_RATE_LIMIT_ENABLED: 'false',
  };
  procs = [startService('services/api/src/main.ts', env), startService('services/workflow-worker/src/main.ts', env)];
  const [, browserStarted] = await Promise.all([
    procs[1]!.waitForOutput('workflow-worker ready', 50_000),
    chromium.launch({ executablePath: process.env.PETITIONS_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] }),
  ]);
  browser = browserStarted;
  await eventually(async () => (await fetch(`${base}/health`).catch(() => null))?.ok, 30_000, 100);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stopServicesAndCleanUp(procs, tdb, prefix);
}, 30_000);

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return await res.json() as Record<string, any>;
}

const stateOf = async (id: string) => ((await (await fetch(`${base}/petitions/${id}`)).json()) as { state: string }).state;

/** A petition with a contact, worked by its lead unit until it waits for the follow-up call. */
async function awaitingFeedback(phone: string | null): Promise<{ id: string; trackingNo: string }> {
  // No phone: an anonymous petition (no contact at all).
  const s = await post('/petitions', noiseComplaint(refs, { contact: phone ? { name: '赵敏', phone } : undefined }));
  const handler = { 'x-actor-id': 'h1', 'x-actor-role': 'handler', 'x-actor-unit': s.leadUnit.id as string };
  await post(`/petitions/${s.petitionId}/sign-for`, {}, handler);
  expect((await post(`/petitions/${s.petitionId}/complete`, { result: '已协调夜市管理方', resolved: true }, handler)).state).toBe('awaitingFeedback');
  return { id: s.petitionId as string, trackingNo: s.trackingNo as string };
}

/** A page acting as `role` in `lang`, as the UI's language switch and identity selector leave it. */
async function pageAs(role: string, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const context = await browser.newContext();
  await context.addInitScript(([r, l]) => {
    // Runs in the page (this file is typed without the DOM library).
    const storage = (globalThis as unknown as { localStorage: { setItem: (k: string, v: string) => void } }).localStorage;
    storage.setItem('petitions.actingAs', JSON.stringify({ role: r, unitId: null }));
    storage.setItem('petitions.lang', l!);
  }, [role, lang]);
  const page = await context.newPage();
  // A missing element fails the step well inside the test's own time limit, naming what it waited for.
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (err) => { throw err; });
  return page;
}

/** An account made as an operator makes one (the users CLI), then a page signed in with it. */
async function signedInAs(username: string, role: string, unitCode: string): Promise<Page> {
  const password = 'web-ui-test-password-1';
  execFileSync(process.execPath, ['--import', 'tsx', 'services/api/src/cli/users.ts', 'create', '--username', username, '--role', role, '--unit', unitCode], {
    cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: tdb.url, PETITIONS_NEW_PASSWORD: password }, stdio: 'pipe',
  });
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${base}/#/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForURL((url) => !url.hash.startsWith('#/login'));
  return page;
}

describe('the web UI', () => {
  it('offers a signed-in handler only what the account may do (its own unit\'s queue, no dispatcher\'s or follow-up agent\'s forms), and takes their head to what waits for a decision', async () => {
    const s = await post('/petitions', noiseComplaint(refs));
    const page = await signedInAs('handler-cgj', 'handler', 'zz-js-cgj');
    await page.waitForSelector('#queue-unit');
    expect(await page.$$eval('#queue-unit option[value]:not([value=""])', (os) => os.map((o) => o.getAttribute('value')))).toEqual([refs.unit('zz-js-cgj')]);
    await page.goto(`${base}/#/petition/${s.petitionId}`);
    await page.waitForSelector('.actions-card');
    const forms = await page.$$eval('.actions-card h3, .actions-card summary', (hs) => hs.map((x) => x.textContent));
    expect(forms).toContain('签收');
    expect(forms.join(' ')).not.toMatch(/改派|合并|撤诉|回访评价/);
    await page.click('button:has-text("签收")');
    await eventually(async () => (await stateOf(s.petitionId)) === 'handling', 10_000, 100);
    // The page shows the next step, and the keyboard focus is there, not back at the top.
    await page.waitForSelector('.actions-card :text("办结")');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe('sec-actions');

    // The unit asks for more time; its head, signing in, lands on what waits for a decision.
    const unitHandler = { 'x-actor-id': 'h1', 'x-actor-role': 'handler', 'x-actor-unit': refs.unit('zz-js-cgj') };
    await post(`/petitions/${s.petitionId}/extension-requests`, { days: 3, reason: '需协调多部门' }, unitHandler);
    const head = await signedInAs('head-cgj', 'department_head', 'zz-js-cgj');
    await head.waitForURL((url) => url.hash.includes('status=awaiting_decision'));
    await head.waitForSelector(`a[href="#/petition/${s.petitionId}"]`);
  });


  it('gives the follow-up agent the petitions waiting for a call, oldest first; reveals the number with a logged reason; records only the answer chosen', async () => {
    const first = await awaitingFeedback('13800005551');
    const second = await awaitingFeedback('13800005552');
    const anonymous = await awaitingFeedback(null);
    const page = await pageAs('follow_up');
    await page.goto(`${base}/`);
    // The follow-up agent starts on 待回访.
    await page.waitForSelector('[data-testid=feedback-list] tbody tr');
    expect(page.url()).toContain('#/feedback');
    const listed = await page.$$eval('[data-testid=feedback-list] tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
    expect(listed.indexOf(first.trackingNo)).toBeGreaterThanOrEqual(0);
    expect(listed.indexOf(first.trackingNo)).toBeLessThan(listed.indexOf(second.trackingNo));
    // Nobody can be called about an anonymous petition, and the list says so.
    const noted = await page.$$eval('[data-testid=feedback-list] tbody tr', (trs) => trs
      .filter((tr) => tr.querySelector('[data-testid=anonymous-note]')).map((tr) => tr.querySelector('td')?.textContent));
    expect(noted).toEqual([anonymous.trackingNo]);

    await page.click(`a[href="#/petition/${first.id}"]`);
    await page.waitForSelector('[data-testid=contact-reveal]');
    expect(await page.textContent('[data-testid=contact]')).toContain('138****5551');
    // What the unit did is in the summary the agent reads out.
    const facts = await page.$$eval('dl.facts .fact', (els) => els.map((e) => [e.querySelector('dt')?.textContent, e.querySelector('dd')?.textContent]));
    expect(facts).toContainEqual(['办理结果', '已协调夜市管理方']);
    await page.click('[data-testid=contact-reveal]');
    await page.click('.contact-form button[type=submit]');
    await page.waitForSelector('[data-testid=contact-full]');
    expect(await page.textContent('[data-testid=contact-full]')).toContain('13800005551');
    const logged = await tdb.db.selectFrom('personal_data_access_log').select(['actor_role', 'reason']).where('petition_id', '=', first.id).execute();
    expect(logged).toEqual([{ actor_role: 'follow_up', reason: '回访电话' }]);

    // Nothing is preselected, and submitting without the resident's answers records nothing.
    expect(await page.$$eval('input[type=radio]:checked', (els) => els.length)).toBe(0);
    await page.click('button:has-text("提交评价")');
    await page.waitForSelector('.field-error:not([hidden])');
    expect(await page.$$eval('.field-error:not([hidden])', (els) => els.map((e) => e.textContent))).toEqual(['请按群众的回答选择一项。', '请按群众的回答选择一项。']);
    expect(await stateOf(first.id)).toBe('awaitingFeedback');

    await page.click('label.radio:has-text("基本满意")');
    await page.click('label.radio:has-text("是")');
    await page.click('button:has-text("提交评价")');
    await eventually(async () => (await stateOf(first.id)) === 'closed', 15_000, 100);
    const rated = await tdb.db.selectFrom('petition_events').select('data').where('petition_id', '=', first.id).where('type', '=', 'RATE').executeTakeFirstOrThrow();
    expect(rated.data).toMatchObject({ satisfaction: 'basically_satisfied', resolved: true });
  });

  it('asks about possible duplicates once: after 仍然登记 and a fix to another field, the clerk is not asked again', async () => {
    const misc = refs.category('other.misc');
    await post('/petitions', noiseComplaint(refs, { categoryId: misc, title: '小区门口空地堆放杂物', content: '小区门口空地堆放大量杂物，长期无人清理。' }));
    const page = await pageAs('clerk');
    await page.goto(`${base}/#/intake`);
    await page.waitForSelector(`#in-categoryId option[value="${misc}"]`, { state: 'attached' });
    await page.selectOption('#in-categoryId', misc);
    await page.selectOption('#in-districtId', refs.unit('zz-js'));
    await page.selectOption('#in-streetId', refs.unit('zz-js-duling'));
    await page.fill('#in-title', '小区门口空地杂物堆放');
    await page.fill('#in-content', '小区门口空地堆放大量杂物，很久没人清理。');
    await page.fill('#in-name', '李雷');
    await page.fill('#in-phone', '138-abc');
    await page.click('button:has-text("提交受理")');
    await page.click('[data-testid=submit-anyway]');
    // The API refuses the phone number; the clerk fixes it and submits again.
    await page.waitForSelector('#in-phone-error:not([hidden])');
    await page.fill('#in-phone', '13800005553');
    await page.click('button:has-text("提交受理")');
    await page.waitForSelector('[data-testid=tracking-no]');
    expect(await page.$('[data-testid=dup-warning]')).toBeNull();
    expect(await page.textContent('[data-testid=tracking-no]')).toMatch(/^\d{16}$/);
  });

  it('lists the manual dispatch queue oldest first, with category and area in the chosen language', async () => {
    const misc = refs.category('other.misc');
    const older = await post('/petitions', noiseComplaint(refs, { categoryId: misc, title: '空地归属不明' }));
    const newer = await post('/petitions', noiseComplaint(refs, { categoryId: misc, title: '空地无人管理' }));
    expect(older.state).toBe('awaitingDispatch');
    const page = await pageAs('dispatcher', 'en');
    await page.goto(`${base}/#/dispatch`);
    await page.waitForSelector('[data-testid=dispatch-list] tbody tr');
    const rows = (await page.$$eval('[data-testid=dispatch-list] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))))
      .filter((r) => r[0] === older.trackingNo || r[0] === newer.trackingNo);
    expect(rows.map((r) => r[0])).toEqual([older.trackingNo, newer.trackingNo]);
    expect(rows[0]!.slice(2, 4)).toEqual(['Other requests', 'Jinshui District Duling Subdistrict']);

    // The category's own choices and the holiday names read in English too (the stored values stay Chinese).
    await page.goto(`${base}/#/intake`);
    await page.waitForSelector(`#in-categoryId option[value="${refs.category('city.noise')}"]`, { state: 'attached' });
    await page.selectOption('#in-categoryId', refs.category('city.noise'));
    await page.waitForSelector('#in-d-source option[value="夜市"]', { state: 'attached' });
    expect(await page.$$eval('#in-d-source option', (os) => os.map((o) => [o.getAttribute('value'), o.textContent]))).toContainEqual(['夜市', 'Night market']);
    await page.goto(`${base}/#/admin/calendar`);
    await page.waitForSelector('td.cal-note');
    const notes = await page.$$eval('td.cal-note', (tds) => tds.map((td) => td.textContent));
    expect(notes).toContain('Spring Festival');
    expect(notes.join(' ')).not.toMatch(/春节/);
  });
});
