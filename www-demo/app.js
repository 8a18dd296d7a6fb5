// The demo page for the qualys-cs package. It is deliberately plain: no framework and no
// build step, so that every call into the package is visible in this one file.
//
// Server data is only ever written with textContent, never innerHTML, so a schedule or
// profile name cannot inject markup into the page.

// The tokens the local emulator (tests/emulator/server.mjs) accepts, one per demo role.
// They are emulator fixtures, not secrets; a real gateway needs a real JWT.
const ROLE_TOKENS = { admin: 'admin-token', viewer: 'viewer-token', none: 'none-token' };

// The permissions each demo role holds. This mirrors the emulator's users (the USERS map
// in tests/emulator/seed.mjs) by hand, because the API has no call that lists a user's
// permissions. A role missing here ("custom") is unknown, so nothing is greyed out for it
// and the server's 403 is the only judge.
const ROLE_PERMISSIONS = {
  admin: [
    'CS.REGISTRY.VIEW', 'CS.REGISTRY.CREATE', 'CS.REGISTRY.UPDATE', 'CS.REGISTRY.DELETE',
    'CS.SENSOR_PROFILE.VIEW', 'CS.SENSOR_PROFILE.CREATE', 'CS.SENSOR_PROFILE.UPDATE',
    'CS.SENSOR_PROFILE.DELETE',
  ],
  viewer: ['CS.SENSOR_PROFILE.VIEW'],
  none: [],
};

// The permission of each registry and connector method. The package's requiredPermission
// only names the documented CS.SENSOR_PROFILE.* ones (null for these), so the CS.REGISTRY.*
// names the emulator checks are kept here, beside the table above.
const REGISTRY_PERMISSIONS = {
  listRegistrySchedules: 'CS.REGISTRY.VIEW',
  createRegistrySchedule: 'CS.REGISTRY.CREATE',
  updateRegistrySchedule: 'CS.REGISTRY.UPDATE',
  deleteAcrConnector: 'CS.REGISTRY.DELETE',
  deleteAwsConnector: 'CS.REGISTRY.DELETE',
};

// The registry the emulator seeds with one weekly schedule, so "List" shows something.
const DEFAULT_REGISTRY_ID = 'ef91aff4-5679-4c0d-9fc0-523ca7f218f4';

// Shown instead of the raw 412 error, because the release notes define 412 on the
// connector deletes as exactly this situation.
const STILL_ASSOCIATED =
  'This connector is still associated with a registry and was not deleted.';

const $ = (id) => document.getElementById(id);

// The package module, filled in by loadPackage(); every handler runs only after that.
let pkg = null;

// The schedule being edited ({ registryId, row }), or null while the form creates.
let editing = null;

// The client made most recently, whose rateLimit the header shows after each call.
let lastClient = null;

// ---------------------------------------------------------------------------------------
// Small helpers shared by every panel.

/** Writes a message into a status element; `kind` drives its colour (ok, error, info). */
function showStatus(element, kind, text) {
  element.textContent = text;
  element.dataset.kind = kind;
}

/** Turns any thrown value into the one-line text the page shows for it. */
function describeError(error) {
  if (error && error.code === 'FORBIDDEN') {
    // The package parses the missing permission out of the server's 403 message.
    const permission = error.permission ?? 'required';
    return `Your role lacks the ${permission} permission.`;
  }
  if (error && typeof error.code === 'string') {
    return `${error.code}: ${error.message}`;
  }
  // Anything else is a bug rather than an API answer; show it plainly all the same.
  const name = error?.name ?? 'Error';
  return `${name}: ${error?.message ?? String(error)}`;
}

/** Empties every field-level error inside `scope` and clears the invalid marks. */
function clearIssues(scope, fallback) {
  for (const slot of scope.querySelectorAll('[data-error-for]')) {
    slot.textContent = '';
  }
  for (const input of scope.querySelectorAll('[aria-invalid="true"]')) {
    input.removeAttribute('aria-invalid');
  }
  if (fallback) fallback.textContent = '';
}

/**
 * Puts each validation issue beside the field it names. The issue's field is a JSON path
 * such as `filters[0].repoTags[0].repo`, matched literally against data-error-for, which
 * avoids escaping the brackets in a CSS selector. Issues without a slot go to `fallback`.
 */
function showIssues(scope, issues, fallback) {
  clearIssues(scope, fallback);
  const slots = [...scope.querySelectorAll('[data-error-for]')];
  const unplaced = [];
  for (const issue of issues) {
    const slot = slots.find((element) => element.dataset.errorFor === issue.field);
    if (!slot) {
      unplaced.push(`${issue.field}: ${issue.message}`);
      continue;
    }
    slot.textContent = slot.textContent ? `${slot.textContent} ${issue.message}` : issue.message;
    const input = slot.closest('label')?.querySelector('input, select');
    input?.setAttribute('aria-invalid', 'true');
  }
  if (fallback) fallback.textContent = unplaced.join(' ');
}

/** A client for the values currently in the connection bar; cheap, so made per call. */
function client() {
  lastClient = new pkg.ContainerSecurityClient({
    baseUrl: $('base-url').value.trim(),
    token: $('token').value,
  });
  return lastClient;
}

/** Shows the last answer's X-RateLimit-* headers; a call that sent nothing changes nothing. */
function showRateLimit() {
  const rateLimit = lastClient?.rateLimit;
  if (!rateLimit || (rateLimit.remaining === null && rateLimit.limit === null)) return;
  const { remaining, limit } = rateLimit;
  showStatus($('rate-limit'), 'info', `Rate limit: ${remaining ?? '?'} of ${limit ?? '?'} left`);
}

// ---------------------------------------------------------------------------------------
// Permissions: what the chosen role may do.

/** The permission a client method needs: the package's answer, else the registry table. */
function permissionFor(operation) {
  return pkg.requiredPermission(operation) ?? REGISTRY_PERMISSIONS[operation] ?? null;
}

/** The permission the chosen role lacks for `operation`, or null if it may (or is unknown). */
function missingPermission(operation) {
  if (!pkg) return null;
  const held = ROLE_PERMISSIONS[$('role').value];
  const permission = operation ? permissionFor(operation) : null;
  if (!held || !permission) return null;
  return held.includes(permission) ? null : permission;
}

/**
 * Enables or disables one button from its data-operation and whether its call is in
 * flight (data-busy). A disabled button's title names the permission the role lacks.
 */
function gate(button) {
  const missing = missingPermission(button.dataset.operation);
  button.disabled = missing !== null || button.dataset.busy === 'true';
  if (missing) {
    button.title = `Your role lacks ${missing}`;
    button.dataset.missingPermission = missing;
  } else {
    button.removeAttribute('title');
    delete button.dataset.missingPermission;
  }
}

/** Re-gates every button that names an operation, the table rows' buttons included. */
function applyPermissions() {
  if (!pkg) return;
  for (const button of document.querySelectorAll('button[data-operation]')) gate(button);
}

/**
 * Runs one API action for a panel. The button is disabled while the request is in flight
 * so a double click cannot send it twice. `action` returns the success text. Errors are
 * mapped here: validation issues go beside their fields, codes listed in `messages` get
 * the panel's own wording, and everything else shows as "CODE: message".
 */
async function perform({ button, status, scope, fallback, messages = {} }, action) {
  // Pressing Enter in a field cannot submit past a disabled button, but be sure anyway.
  if (button.dataset.missingPermission) return;
  button.dataset.busy = 'true';
  button.disabled = true;
  showStatus(status, 'info', 'Working…');
  if (scope) clearIssues(scope, fallback);
  try {
    showStatus(status, 'ok', await action());
  } catch (error) {
    if (error?.code === 'VALIDATION' && Array.isArray(error.issues) && scope) {
      showIssues(scope, error.issues, fallback);
      showStatus(status, 'error', 'Fix the highlighted fields; nothing was sent.');
    } else {
      showStatus(status, 'error', messages[error?.code] ?? describeError(error));
    }
  } finally {
    delete button.dataset.busy;
    gate(button);
    showRateLimit();
  }
}

/** Appends one table cell holding plain text. */
function addCell(row, text) {
  const cell = row.insertCell();
  cell.textContent = text;
  return cell;
}

/** Appends a cell holding one small button, gated by the client method it calls. */
function addButtonCell(row, label, testId, operation, onClick, className = 'small') {
  const cell = row.insertCell();
  const button = document.createElement('button');
  button.type = 'button';
  button.className = className;
  button.textContent = label;
  button.dataset.testid = testId;
  button.dataset.operation = operation;
  button.addEventListener('click', () => onClick(button));
  cell.append(button);
  gate(button);
  return button;
}

// ---------------------------------------------------------------------------------------
// Connection bar.

/** Fills the token field from the chosen role; "custom" leaves a typed token alone. */
function applyRole() {
  const token = ROLE_TOKENS[$('role').value];
  if (token !== undefined) $('token').value = token;
  applyPermissions();
}

/**
 * A token typed or pasted by hand makes the role "custom", even when it is one of the
 * fixture tokens: the page cannot vouch for a typed token's permissions, so it greys out
 * nothing and leaves refusing to the server (whose 403 names the missing permission).
 */
function syncRoleFromToken() {
  $('role').value = 'custom';
  applyPermissions();
}

// ---------------------------------------------------------------------------------------
// Registry schedules.

/** "11:19" becomes "11:19 UTC"; the API always means UTC, so the page says so. */
function formatTime(schedule) {
  return schedule ? `${schedule} UTC` : '—';
}

/** Epoch milliseconds become an ISO date-time in UTC, without the milliseconds. */
function formatEpoch(value) {
  if (value === null || value === undefined) return '—';
  // The package promises numbers; anything else is shown raw so a mismatch is visible.
  if (typeof value !== 'number' || !Number.isFinite(value)) return String(value);
  return `${new Date(value).toISOString().slice(0, 19)}Z`;
}

/** Shows the week-day picker only for a weekly schedule, the only case it is valid in. */
function syncWeekdayVisibility() {
  const weekly = Number($('sched-interval').value) === 7;
  $('weekday-field').hidden = !weekly;
}

/** Fills the schedule table; returns how many rows it drew. */
function renderSchedules(registryId, schedules) {
  const body = $('schedule-table').tBodies[0];
  body.replaceChildren();
  for (const schedule of schedules) {
    const row = body.insertRow();
    row.dataset.scheduleId = schedule.scheduleUuid;
    addCell(row, schedule.name ?? '(unnamed)');
    addCell(row, formatTime(schedule.schedule));
    addCell(row, schedule.scheduleIntervalInDays ?? '—');
    addCell(row, schedule.weekDay ?? '—');
    addCell(row, schedule.status ?? '—');
    addCell(row, formatEpoch(schedule.updated));
    addButtonCell(row, 'Edit', 'edit-schedule', 'updateRegistrySchedule',
      () => startEditing(registryId, schedule));
  }
  $('schedule-empty').hidden = schedules.length > 0;
  $('schedule-empty').textContent = 'This registry has no schedules.';
  return schedules.length;
}

/** Fetches the first page of schedules for the registry field and draws them. */
async function fetchSchedules() {
  const registryId = $('registry-id').value.trim();
  const { data, count } = await client().listRegistrySchedules(registryId);
  renderSchedules(registryId, data);
  return count === 1 ? '1 schedule.' : `${count} schedules.`;
}

function listSchedules(event) {
  event.preventDefault();
  return perform(
    {
      button: $('list-schedules'),
      status: $('schedule-status'),
      scope: $('schedule-list-form'),
    },
    fetchSchedules,
  );
}

/** Loads one listed schedule into the form and switches the form to "update". */
function startEditing(registryId, row) {
  editing = { registryId, row };
  const firstTag = row.filters?.[0]?.repoTags?.[0];
  $('sched-name').value = row.name ?? '';
  $('sched-time').value = row.schedule ?? '';
  $('sched-interval').value = row.scheduleIntervalInDays ?? '';
  $('sched-weekday').value = row.weekDay ?? '';
  $('sched-repo').value = firstTag?.repo ?? '';
  $('sched-tag').value = firstTag?.tag ?? '';
  $('sched-force').checked = Boolean(row.forceScan);
  // A listed schedule does not report its registry type, so the field starts empty.
  $('sched-registry-type').value = '';
  $('schedule-form-title').textContent = `Editing ${row.name ?? row.scheduleUuid}`;
  $('sched-submit').textContent = 'Save changes';
  $('sched-submit').dataset.operation = 'updateRegistrySchedule';
  gate($('sched-submit'));
  $('sched-cancel').hidden = false;
  clearIssues($('schedule-form'), $('schedule-form-errors'));
  syncWeekdayVisibility();
  $('sched-name').focus();
}

/** Returns the form to "create" with its default values. */
function stopEditing() {
  editing = null;
  $('schedule-form').reset();
  $('schedule-form-title').textContent = 'New schedule';
  $('sched-submit').textContent = 'Create schedule';
  $('sched-submit').dataset.operation = 'createRegistrySchedule';
  gate($('sched-submit'));
  $('sched-cancel').hidden = true;
  clearIssues($('schedule-form'), $('schedule-form-errors'));
  syncWeekdayVisibility();
}

/**
 * Builds the RegistryScheduleInput from the form. The form edits the first repository of
 * the first filter; when editing, the schedule's other filters, its age filter and its
 * additionalFilters are sent back unchanged so that saving does not silently drop them.
 */
function readScheduleForm() {
  const input = { onDemand: false, schedule: $('sched-time').value.trim() };

  const name = $('sched-name').value.trim();
  if (name) input.name = name;

  // An empty number field reads as ""; leaving the key out lets the validator say so.
  const interval = $('sched-interval').value.trim();
  if (interval !== '') input.scheduleIntervalInDays = Number(interval);

  // weekDay is only valid with a 7-day interval, so it is sent only then; an unchosen
  // day is left out so that the validator reports it as missing.
  if (input.scheduleIntervalInDays === 7 && $('sched-weekday').value) {
    input.weekDay = $('sched-weekday').value;
  }

  const filters = structuredClone(editing?.row.filters ?? []);
  const repo = $('sched-repo').value.trim();
  const tag = $('sched-tag').value.trim();
  if (repo || tag) {
    if (filters.length === 0) filters.push({ repoTags: [], days: null });
    filters[0].repoTags = filters[0].repoTags ?? [];
    // An empty tag means "every tag", which the API spells as null.
    filters[0].repoTags[0] = { repo, tag: tag || null };
  } else if (filters.length > 0 && filters[0].repoTags?.length) {
    // The repository was cleared while editing: drop it, and the filter if now empty.
    filters[0].repoTags.shift();
    if (filters[0].repoTags.length === 0) filters.shift();
  }
  if (filters.length > 0) input.filters = filters;

  if (editing?.row.additionalFilters) {
    input.additionalFilters = structuredClone(editing.row.additionalFilters);
  }

  input.forceScan = $('sched-force').checked;
  const registryType = $('sched-registry-type').value.trim();
  if (registryType) input.registryType = registryType;
  return input;
}

/**
 * Validates the form with the package first; only a valid input is sent. That keeps the
 * request log clean and gives the same messages the client itself would raise.
 */
function submitSchedule(event) {
  event.preventDefault();
  const scope = $('schedule-form').closest('section');
  const fallback = $('schedule-form-errors');
  const status = $('schedule-status');
  const input = readScheduleForm();
  const issues = pkg.validateRegistrySchedule(input);
  showIssues(scope, issues, fallback);
  if (issues.length > 0) {
    showStatus(status, 'error', 'Fix the highlighted fields; nothing was sent.');
    return undefined;
  }
  return perform({ button: $('sched-submit'), status, scope, fallback }, async () => {
    let done;
    if (editing) {
      const { registryId, row } = editing;
      await client().updateRegistrySchedule(registryId, row.scheduleUuid, input);
      // Show the registry that was changed, which the list then refreshes.
      $('registry-id').value = registryId;
      done = 'Schedule updated.';
    } else {
      const registryId = $('registry-id').value.trim();
      const { scheduleUuid } = await client().createRegistrySchedule(registryId, input);
      done = `Schedule ${scheduleUuid} created.`;
    }
    stopEditing();
    return `${done} ${await fetchSchedules()}`;
  });
}

// ---------------------------------------------------------------------------------------
// Connectors.

/** Wires one connector delete form; the two differ only in their field and call. */
function wireConnectorForm(formId, inputId, buttonId, statusId, remove) {
  const form = $(formId);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = $(inputId).value.trim();
    perform(
      {
        button: $(buttonId),
        status: $(statusId),
        scope: form,
        messages: {
          PRECONDITION_FAILED: STILL_ASSOCIATED,
          NOT_FOUND: 'No connector with this identifier exists.',
        },
      },
      async () => {
        await remove(client(), id);
        return 'Deleted.';
      },
    );
  });
}

// ---------------------------------------------------------------------------------------
// Sensor profiles.

/** Fills the profile table, with a delete button per row. */
function renderProfiles(profiles) {
  const body = $('profile-table').tBodies[0];
  body.replaceChildren();
  for (const profile of profiles) {
    const row = body.insertRow();
    row.dataset.profileId = profile.profileUuid;
    addCell(row, profile.profileName ?? '(unnamed)');
    addCell(row, profile.profileType ?? '—');
    addCell(row, profile.description ?? '');
    addButtonCell(
      row,
      'Delete',
      'delete-profile',
      'deleteSensorProfile',
      (button) => deleteProfile(button, profile),
      'small danger',
    );
  }
  $('profile-empty').hidden = profiles.length > 0;
  $('profile-empty').textContent = 'No sensor profiles.';
}

async function fetchProfiles() {
  const { data, count } = await client().listSensorProfiles();
  renderProfiles(data);
  return count === 1 ? '1 profile.' : `${count} profiles.`;
}

function listProfiles() {
  return perform({ button: $('list-profiles'), status: $('profile-status') }, fetchProfiles);
}

function deleteProfile(button, profile) {
  return perform({ button, status: $('profile-status') }, async () => {
    await client().deleteSensorProfile(profile.profileUuid);
    const name = profile.profileName ?? profile.profileUuid;
    return `Profile ${name} deleted. ${await fetchProfiles()}`;
  });
}

function createProfile(event) {
  event.preventDefault();
  const form = $('profile-form');
  const input = {
    profileName: $('profile-name').value.trim(),
    profileType: $('profile-type').value,
  };
  const description = $('profile-description').value.trim();
  if (description) input.description = description;
  return perform(
    {
      button: $('profile-create'),
      status: $('profile-status'),
      scope: form,
      fallback: $('profile-form-errors'),
    },
    async () => {
      const { profileUuid } = await client().createSensorProfile(input);
      form.reset();
      return `Profile ${profileUuid} created. ${await fetchProfiles()}`;
    },
  );
}

// ---------------------------------------------------------------------------------------
// Start-up.

/**
 * Loads the package with a dynamic import so that a missing build shows a readable
 * message on the page instead of a blank one. body[data-ready] tells tests (and curious
 * readers) when the wasm is usable: "true" once loaded, "error" if it failed.
 */
async function loadPackage() {
  const buttons = [...document.querySelectorAll('button')];
  for (const button of buttons) button.disabled = true;
  try {
    pkg = await import('../pkg/index.js');
    await pkg.ready;
  } catch (error) {
    const reason = describeError(error);
    const text = `The package did not load (${reason}). Build it with \`make pkg\`, then reload.`;
    showStatus($('load-status'), 'error', text);
    document.body.dataset.ready = 'error';
    return;
  }
  for (const button of buttons) button.disabled = false;
  applyPermissions();
  showStatus($('load-status'), 'ok', 'Package loaded.');
  document.body.dataset.ready = 'true';
}

function init() {
  $('base-url').value = location.origin;
  $('role').value = 'admin';
  applyRole();
  $('registry-id').value = DEFAULT_REGISTRY_ID;
  syncWeekdayVisibility();

  // The connection bar is a form only so that its password field sits in one; it has
  // nothing to submit, and a submission would reload the page.
  $('connection').addEventListener('submit', (event) => event.preventDefault());
  $('role').addEventListener('change', applyRole);
  $('token').addEventListener('input', syncRoleFromToken);
  $('sched-interval').addEventListener('input', syncWeekdayVisibility);
  $('schedule-list-form').addEventListener('submit', listSchedules);
  $('schedule-form').addEventListener('submit', submitSchedule);
  $('sched-cancel').addEventListener('click', stopEditing);
  wireConnectorForm('acr-form', 'acr-id', 'acr-delete', 'acr-status',
    (api, id) => api.deleteAcrConnector(id));
  wireConnectorForm('aws-form', 'aws-arn', 'aws-delete', 'aws-status',
    (api, arn) => api.deleteAwsConnector(arn));
  $('list-profiles').addEventListener('click', listProfiles);
  $('profile-form').addEventListener('submit', createProfile);

  return loadPackage();
}

init();
