// Drives the demo page (www-demo/) in Chromium against the in-process emulator, which
// serves both the API and the static files. Run with `node --test tests/browser/`.
//
// Every test gets a fresh emulator state and a fresh browser context, so tests do not
// depend on one another's order. Any uncaught error inside the page fails the test.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, SEED } from '../emulator/server.mjs';
import { launchChromium } from '../js/helpers.mjs';

// Each test is bounded; the whole file also has a hard deadline, so that a hung browser
// or server can never keep CI waiting.
const TEST_TIMEOUT_MS = 30_000;
const STEP_TIMEOUT_MS = 10_000;
const FILE_DEADLINE_MS = 180_000;

const STILL_ASSOCIATED =
  'This connector is still associated with a registry and was not deleted.';

const deadline = setTimeout(() => {
  console.error(`demo.test.mjs: still running after ${FILE_DEADLINE_MS} ms; giving up.`);
  process.exit(1);
}, FILE_DEADLINE_MS);
deadline.unref();

let emulator;
let browser;

/** The API calls the emulator has logged, leaving out static files. */
function apiRequests() {
  return emulator.requests().filter((entry) => entry.path.startsWith('/csapi/'));
}

/**
 * Waits until the element with `testId` contains `expected`. On a timeout the assertion
 * names the text that was there instead, which is what one needs to debug a failure.
 */
async function waitForText(page, testId, expected) {
  const selector = `[data-testid="${testId}"]`;
  try {
    await page.waitForFunction(
      ([sel, text]) => document.querySelector(sel)?.textContent.includes(text),
      [selector, expected],
      { timeout: STEP_TIMEOUT_MS },
    );
  } catch (error) {
    const actual = await page.locator(selector).textContent().catch(() => '(missing)');
    assert.fail(`${testId} never showed ${JSON.stringify(expected)}; it shows ` +
      `${JSON.stringify(actual)} (${error.message.split('\n')[0]})`);
  }
}

/**
 * Whether the first element with `testId` is disabled, and its title (null when it has
 * none), so that a greyed-out control and the permission it names are checked together.
 */
async function gateOf(page, testId) {
  const element = page.locator(`[data-testid="${testId}"]`).first();
  return { disabled: await element.isDisabled(), title: await element.getAttribute('title') };
}

/** The state of a control the chosen role lacks `permission` for. */
function lacking(permission) {
  return { disabled: true, title: `Your role lacks ${permission}` };
}

/** The state of a control the chosen role may use. */
const ALLOWED = Object.freeze({ disabled: false, title: null });

/**
 * Declares one test that runs in a new page opened on the demo. The page is loaded, the
 * package is awaited (body[data-ready]), and after the body runs, no page error may have
 * been raised. The context is closed whatever happens.
 */
function pageTest(name, body) {
  test(name, { timeout: TEST_TIMEOUT_MS }, async () => {
    await emulator.reset();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const pageErrors = [];
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      page.on('pageerror', (error) => pageErrors.push(error));
      await page.goto(`${emulator.url}/www-demo/`);
      await page.waitForSelector('body[data-ready]');
      const ready = await page.getAttribute('body', 'data-ready');
      const loadStatus = await page.textContent('[data-testid="load-status"]');
      assert.equal(ready, 'true', `the package did not load: ${loadStatus.trim()}`);
      await body(page);
      assert.deepEqual(pageErrors.map(String), [], 'the page raised uncaught errors');
    } finally {
      await context.close();
    }
  });
}

describe('demo page', () => {
  before(async () => {
    emulator = await startEmulator({ port: 0 });
    browser = await launchChromium();
  }, { timeout: 60_000 });

  after(async () => {
    await browser?.close();
    await emulator?.close();
  }, { timeout: 30_000 });

  pageTest('lists the seeded schedule with UTC time and ISO update date', async (page) => {
    await page.click('[data-testid="list-schedules"]');
    await waitForText(page, 'schedule-status', '1 schedule.');
    const cells = await page.locator('[data-testid="schedule-table"] tbody tr td')
      .allTextContents();
    assert.deepEqual(cells.slice(0, 6), [
      '(unnamed)', '11:19 UTC', '7', 'WEDNESDAY', 'Finished', '2023-01-18T11:22:38Z',
    ]);
  });

  pageTest('creates a weekly schedule and sends exactly one POST', async (page) => {
    await page.fill('[data-testid="registry-id"]', SEED.emptyRegistryId);
    await page.fill('[data-testid="sched-name"]', 'Automatic Scan Schedule');
    await page.fill('[data-testid="sched-time"]', '09:30');
    await page.fill('[data-testid="sched-interval"]', '7');
    await page.selectOption('[data-testid="sched-weekday"]', 'THURSDAY');
    await page.fill('[data-testid="sched-repo"]', 'azuretest');
    await page.fill('[data-testid="sched-registry-type"]', 'Azure');
    await page.check('[data-testid="sched-force"]');
    await page.click('[data-testid="sched-submit"]');

    await waitForText(page, 'schedule-status', 'created. 1 schedule.');
    const row = page.locator('[data-testid="schedule-table"] tbody tr', {
      hasText: 'Automatic Scan Schedule',
    });
    const cells = await row.locator('td').allTextContents();
    assert.equal(cells[1], '09:30 UTC');
    assert.equal(cells[2], '7');
    assert.equal(cells[3], 'THURSDAY');

    const posts = apiRequests().filter((entry) => entry.method === 'POST');
    assert.equal(posts.length, 1, 'exactly one POST should have been sent');
    assert.equal(posts[0].path, `/csapi/v1.3/registry/${SEED.emptyRegistryId}/schedule`);
    assert.equal(posts[0].body.weekDay, 'THURSDAY');
    assert.equal(posts[0].body.scheduleIntervalInDays, 7);
    assert.equal(posts[0].body.schedule, '09:30');
    assert.deepEqual(posts[0].body.filters, [
      { repoTags: [{ repo: 'azuretest', tag: null }], days: null },
    ]);
  });

  pageTest('loads a listed schedule into the form and updates it with one PUT', async (page) => {
    await page.click('[data-testid="list-schedules"]');
    await waitForText(page, 'schedule-status', '1 schedule.');
    await page.click('[data-testid="edit-schedule"]');
    assert.equal(await page.inputValue('[data-testid="sched-time"]'), '11:19');
    assert.equal(await page.inputValue('[data-testid="sched-interval"]'), '7');
    assert.equal(await page.inputValue('[data-testid="sched-weekday"]'), 'WEDNESDAY');
    assert.equal(await page.inputValue('[data-testid="sched-repo"]'),
      'qualysdockerhub/tamilnadu_shubham');
    assert.equal(await page.isChecked('[data-testid="sched-force"]'), true);

    await page.selectOption('[data-testid="sched-weekday"]', 'FRIDAY');
    await page.click('[data-testid="sched-submit"]');
    await waitForText(page, 'schedule-status', 'Schedule updated. 1 schedule.');
    const cells = await page.locator('[data-testid="schedule-table"] tbody tr td')
      .allTextContents();
    assert.equal(cells[3], 'FRIDAY');

    const puts = apiRequests().filter((entry) => entry.method === 'PUT');
    assert.equal(puts.length, 1, 'exactly one PUT should have been sent');
    assert.equal(puts[0].path,
      `/csapi/v1.3/registry/${SEED.registryId}/schedule/${SEED.scheduleId}`);
    assert.equal(puts[0].body.weekDay, 'FRIDAY');
    // The parts the form does not show are sent back as they were listed.
    assert.equal(puts[0].body.filters[0].days, 0);
    assert.deepEqual(puts[0].body.additionalFilters,
      { numberOfTags: 5, sortCriteria: 'createdDate' });
  });

  pageTest('shows the week-day picker only for a 7-day interval', async (page) => {
    const picker = page.locator('[data-testid="weekday-field"]');
    await page.fill('[data-testid="sched-interval"]', '1');
    assert.equal(await picker.isVisible(), false, 'hidden for interval 1');
    await page.fill('[data-testid="sched-interval"]', '7');
    assert.equal(await picker.isVisible(), true, 'visible for interval 7');
    await page.fill('[data-testid="sched-interval"]', '14');
    assert.equal(await picker.isVisible(), false, 'hidden again for interval 14');
  });

  pageTest('puts a validation issue beside the time field and sends nothing', async (page) => {
    const before = apiRequests().length;
    await page.fill('[data-testid="sched-time"]', '24:00');
    await page.fill('[data-testid="sched-interval"]', '1');
    await page.fill('[data-testid="sched-repo"]', 'azuretest');
    await page.click('[data-testid="sched-submit"]');

    const issue = page.locator('[data-error-for="schedule"]');
    await issue.waitFor({ state: 'visible' });
    assert.notEqual((await issue.textContent()).trim(), '');
    await waitForText(page, 'schedule-status', 'nothing was sent');
    // Give a stray request time to arrive before concluding that none was made.
    await page.waitForTimeout(300);
    assert.equal(apiRequests().length, before, 'no API request may be sent');
  });

  pageTest('explains why an associated connector was not deleted', async (page) => {
    await page.fill('[data-testid="acr-id"]', SEED.associatedAcrConnectorId);
    await page.click('[data-testid="acr-delete"]');
    await waitForText(page, 'acr-status', STILL_ASSOCIATED);

    await page.fill('[data-testid="acr-id"]', SEED.acrConnectorId);
    await page.click('[data-testid="acr-delete"]');
    await waitForText(page, 'acr-status', 'Deleted');

    await page.fill('[data-testid="aws-arn"]', SEED.associatedAwsConnectorArn);
    await page.click('[data-testid="aws-delete"]');
    await waitForText(page, 'aws-status', STILL_ASSOCIATED);
  });

  pageTest('greys out what a viewer lacks, naming the permission, and sends no DELETE',
    async (page) => {
      await page.selectOption('[data-testid="role"]', 'viewer');
      // The viewer holds CS.SENSOR_PROFILE.VIEW only, so listing profiles still works.
      assert.deepEqual(await gateOf(page, 'list-profiles'), ALLOWED);
      await page.click('[data-testid="list-profiles"]');
      await waitForText(page, 'profile-status', 'profiles.');

      const deletes = page.locator('[data-testid="delete-profile"]');
      const count = await deletes.count();
      assert.ok(count > 0, 'the listing should show at least one profile');
      for (let index = 0; index < count; index += 1) {
        const button = deletes.nth(index);
        assert.equal(await button.isDisabled(), true, `delete button ${index} is disabled`);
        assert.equal(await button.getAttribute('title'),
          'Your role lacks CS.SENSOR_PROFILE.DELETE');
      }
      assert.deepEqual(await gateOf(page, 'profile-create'),
        lacking('CS.SENSOR_PROFILE.CREATE'));
      assert.deepEqual(await gateOf(page, 'list-schedules'), lacking('CS.REGISTRY.VIEW'));
      assert.deepEqual(await gateOf(page, 'sched-submit'), lacking('CS.REGISTRY.CREATE'));
      assert.deepEqual(await gateOf(page, 'acr-delete'), lacking('CS.REGISTRY.DELETE'));
      assert.deepEqual(await gateOf(page, 'aws-delete'), lacking('CS.REGISTRY.DELETE'));

      // A click forced past Playwright's checks still reaches a disabled button, which the
      // browser ignores; give a stray request time to arrive before concluding none did.
      await deletes.first().click({ force: true });
      await page.waitForTimeout(300);
      assert.equal(apiRequests().filter((entry) => entry.method === 'DELETE').length, 0,
        'no DELETE may be sent');
    });

  pageTest('switching to none disables both List buttons; admin enables them again',
    async (page) => {
      assert.deepEqual(await gateOf(page, 'list-profiles'), ALLOWED);
      assert.deepEqual(await gateOf(page, 'list-schedules'), ALLOWED);

      await page.selectOption('[data-testid="role"]', 'none');
      assert.equal(await page.inputValue('[data-testid="token"]'), 'none-token');
      assert.deepEqual(await gateOf(page, 'list-profiles'), lacking('CS.SENSOR_PROFILE.VIEW'));
      assert.deepEqual(await gateOf(page, 'list-schedules'), lacking('CS.REGISTRY.VIEW'));

      await page.selectOption('[data-testid="role"]', 'admin');
      assert.equal(await page.inputValue('[data-testid="token"]'), 'admin-token');
      assert.deepEqual(await gateOf(page, 'list-profiles'), ALLOWED);
      assert.deepEqual(await gateOf(page, 'list-schedules'), ALLOWED);
      assert.deepEqual(await gateOf(page, 'profile-create'), ALLOWED);
      assert.deepEqual(await gateOf(page, 'acr-delete'), ALLOWED);
    });

  pageTest('a custom token greys out nothing, and its 403 names the missing permission',
    async (page) => {
      // Typed by hand, even a fixture token makes the role "custom": the page does not
      // guess its permissions, so the server's refusal is what the user sees.
      await page.fill('[data-testid="token"]', 'viewer-token');
      assert.equal(await page.inputValue('[data-testid="role"]'), 'custom');
      assert.deepEqual(await gateOf(page, 'list-schedules'), ALLOWED);
      assert.deepEqual(await gateOf(page, 'profile-create'), ALLOWED);

      await page.click('[data-testid="list-profiles"]');
      await waitForText(page, 'profile-status', 'profiles.');
      assert.deepEqual(await gateOf(page, 'delete-profile'), ALLOWED);
      await page.locator('[data-testid="delete-profile"]').first().click();
      await waitForText(page, 'profile-status',
        'Your role lacks the CS.SENSOR_PROFILE.DELETE permission.');
      const deletes = apiRequests().filter((entry) => entry.method === 'DELETE');
      assert.equal(deletes.length, 1, 'exactly one DELETE should have been sent');
      assert.equal(deletes[0].status, 403);

      // Choosing the viewer role again puts its token back and greys the button out.
      await page.selectOption('[data-testid="role"]', 'viewer');
      assert.equal(await page.inputValue('[data-testid="token"]'), 'viewer-token');
      assert.deepEqual(await gateOf(page, 'delete-profile'),
        lacking('CS.SENSOR_PROFILE.DELETE'));
    });

  pageTest('shows the rate limit of the last answer in the header', async (page) => {
    assert.equal((await page.textContent('[data-testid="rate-limit"]')).trim(), '');
    await page.click('[data-testid="list-schedules"]');
    await waitForText(page, 'schedule-status', '1 schedule.');
    const text = await page.textContent('[data-testid="rate-limit"]');
    assert.match(text, /^Rate limit: \d+ of 1000 left$/);
  });

  pageTest('shows any other error as its code and message', async (page) => {
    await page.fill('[data-testid="token"]', 'not-a-token');
    assert.equal(await page.inputValue('[data-testid="role"]'), 'custom');
    await page.click('[data-testid="list-schedules"]');
    await waitForText(page, 'schedule-status', 'UNAUTHORIZED: ');
  });
});
