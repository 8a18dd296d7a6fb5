#!/usr/bin/env node
// The package's command-line tool: each command is one call of the client (or a walk
// over a listing's pages), its answer as JSON on stdout, and any failure as one line on
// stderr with an exit code a script can branch on.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { parseArgs } from 'node:util';

import { ContainerSecurityClient, login } from './index.node.js';

const TOOL = 'qualys-cs';

// The API's own default page size, used to tell when a listing spans several pages.
const DEFAULT_PAGE_SIZE = 50;

// Exit codes by error code; every other code exits with 1.
const EXIT_SUCCESS = 0;
const EXIT_FAILURE = 1;
const EXIT_CODES = {
  USAGE: 2,
  VALIDATION: 2,
  UNAUTHORIZED: 3,
  FORBIDDEN: 3,
  NOT_FOUND: 4,
  PRECONDITION_FAILED: 4,
};

// Secrets shorter than this are not masked in messages: masking a two-letter password
// would garble every word containing it, and no real token or password is that short.
const SHORTEST_MASKED_SECRET = 4;

const GLOBAL_OPTIONS = {
  'base-url': { type: 'string' },
  platform: { type: 'string' },
  token: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  'timeout-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const COMMAND_OPTIONS = {
  'page-size': { type: 'string' },
  limit: { type: 'string' },
  all: { type: 'boolean' },
  input: { type: 'string' },
};

const GLOBAL_HELP = `Global options, each but --timeout-ms also read from the environment:
  --base-url URL       QUALYS_CS_BASE_URL  the gateway's URL, https://...
  --platform NAME      QUALYS_CS_PLATFORM  or the platform: US1, EU1, IN1, ...
  --token JWT          QUALYS_CS_TOKEN     a JWT, as \`${TOOL} login\` prints
  --username NAME      QUALYS_CS_USERNAME  or a user to log in as, with
  --password PASSWORD  QUALYS_CS_PASSWORD  (safer in the environment)
  --timeout-ms N                           time limit of each API call
  -h, --help                               this usage`;

const LISTING_OPTIONS_HELP = `Options:
  --page-size N   items per request, 1 to 1000 (the API's default is ${DEFAULT_PAGE_SIZE})
  --limit N       walk the pages until N items, and print them as one JSON array
  --all           walk every page, and print every item as one JSON array`;

const INPUT_HELP = `Options:
  --input FILE    the JSON body, read from FILE, or from stdin with \`--input -\``;

// Every command: its words, its positional arguments, the options it takes beside the
// global ones, its help text and what it does.
const COMMANDS = [
  {
    words: ['login'],
    synopsis: 'login',
    summary: 'print a JWT, for QUALYS_CS_TOKEN=$(qualys-cs login)',
    positionals: [],
    options: [],
    details: `Logs in at the gateway's /auth with --username and --password (or
QUALYS_CS_USERNAME and QUALYS_CS_PASSWORD) and prints the token on stdout.`,
    run: runLogin,
  },
  {
    words: ['schedules', 'list'],
    synopsis: 'schedules list <registryId> [--page-size N] [--limit N] [--all]',
    summary: "list a registry's scan schedules",
    positionals: ['registryId'],
    options: ['page-size', 'limit', 'all'],
    details: `Prints one page as {"data": [...], "count": N}, or with --all or --limit
every schedule as one JSON array.

${LISTING_OPTIONS_HELP}`,
    run: (context) => runListing(context, schedulesListing(context)),
  },
  {
    words: ['schedules', 'create'],
    synopsis: 'schedules create <registryId> --input <file|->',
    summary: 'create a scan schedule',
    positionals: ['registryId'],
    options: ['input'],
    details: `Prints {"scheduleUuid": "..."}. A weekly schedule (scheduleIntervalInDays 7)
needs a weekDay.

${INPUT_HELP}`,
    run: async ({ client, args, values }) => {
      const input = await readInput(values.input);
      const created = await client.createRegistrySchedule(args.registryId, input);
      return { scheduleUuid: created.scheduleUuid };
    },
  },
  {
    words: ['schedules', 'update'],
    synopsis: 'schedules update <registryId> <scheduleId> --input <file|->',
    summary: 'replace an idle automatic scan schedule',
    positionals: ['registryId', 'scheduleId'],
    options: ['input'],
    details: `Prints nothing on success. A schedule printed by \`schedules list\` can be sent
back as the input.

${INPUT_HELP}`,
    run: async ({ client, args, values }) => {
      const input = await readInput(values.input);
      await client.updateRegistrySchedule(args.registryId, args.scheduleId, input);
    },
  },
  {
    words: ['connectors', 'delete-acr'],
    synopsis: 'connectors delete-acr <connectorId>',
    summary: 'delete an ACR connector no registry uses',
    positionals: ['connectorId'],
    options: [],
    details: `Prints nothing on success; fails with PRECONDITION_FAILED (exit 4) while a
registry still uses the connector.`,
    run: async ({ client, args }) => {
      await client.deleteAcrConnector(args.connectorId);
    },
  },
  {
    words: ['connectors', 'delete-aws'],
    synopsis: 'connectors delete-aws <arn>',
    summary: 'delete an AWS ECR connector no registry uses',
    positionals: ['arn'],
    options: [],
    details: `The connector is named by its IAM role ARN, arn:aws:iam::<account>:role/<name>.
Prints nothing on success; fails with PRECONDITION_FAILED (exit 4) while a
registry still uses the connector.`,
    run: async ({ client, args }) => {
      await client.deleteAwsConnector(args.arn);
    },
  },
  {
    words: ['profiles', 'list'],
    synopsis: 'profiles list [--page-size N] [--limit N] [--all]',
    summary: 'list sensor profiles',
    positionals: [],
    options: ['page-size', 'limit', 'all'],
    details: `Prints one page as {"data": [...], "count": N}, or with --all or --limit
every profile as one JSON array. Needs CS.SENSOR_PROFILE.VIEW.

${LISTING_OPTIONS_HELP}`,
    run: (context) => runListing(context, profilesListing(context)),
  },
  {
    words: ['profiles', 'get'],
    synopsis: 'profiles get <id>',
    summary: 'print one sensor profile',
    positionals: ['id'],
    options: [],
    details: 'Needs CS.SENSOR_PROFILE.VIEW.',
    run: ({ client, args }) => client.getSensorProfile(args.id),
  },
  {
    words: ['profiles', 'create'],
    synopsis: 'profiles create --input <file|->',
    summary: 'create a sensor profile',
    positionals: [],
    options: ['input'],
    details: `Prints {"profileUuid": "..."}. Needs CS.SENSOR_PROFILE.CREATE.

${INPUT_HELP}`,
    run: async ({ client, values }) => {
      const input = await readInput(values.input);
      const created = await client.createSensorProfile(input);
      return { profileUuid: created.profileUuid };
    },
  },
  {
    words: ['profiles', 'update'],
    synopsis: 'profiles update <id> --input <file|->',
    summary: 'replace a sensor profile',
    positionals: ['id'],
    options: ['input'],
    details: `Prints nothing on success. A profile printed by \`profiles get\` can be sent
back as the input; fields the package does not model are kept. Needs
CS.SENSOR_PROFILE.UPDATE.

${INPUT_HELP}`,
    run: async ({ client, args, values }) => {
      const input = await readInput(values.input);
      await client.updateSensorProfile(args.id, input);
    },
  },
  {
    words: ['profiles', 'delete'],
    synopsis: 'profiles delete <id>',
    summary: 'delete a sensor profile',
    positionals: ['id'],
    options: [],
    details: 'Prints nothing on success. Needs CS.SENSOR_PROFILE.DELETE.',
    run: async ({ client, args }) => {
      await client.deleteSensorProfile(args.id);
    },
  },
];

const GROUPS = [...new Set(COMMANDS.map((command) => command.words[0]))];

/** A failure of the tool itself or of its arguments, with the code it is reported by. */
class CliError extends Error {
  constructor(code, message, issues) {
    super(message);
    this.code = code;
    this.issues = issues;
  }
}

function usageError(message) {
  return new CliError('USAGE', `${message}; run \`${TOOL} --help\``);
}

// ---------------------------------------------------------------------------------------
// Help

function toolHelp() {
  const width = Math.max(...COMMANDS.map((command) => command.words.join(' ').length));
  const lines = COMMANDS.map(
    (command) => `  ${command.words.join(' ').padEnd(width)}   ${command.summary}`,
  );
  return `Usage: ${TOOL} <command> [arguments] [options]

The Qualys Container Security API v1.22 from the command line. Answers are JSON
on stdout; a failure is one line on stderr, "${TOOL}: CODE: message".

Commands:
${lines.join('\n')}

${GLOBAL_HELP}

Exit codes:
  0  success
  1  any other failure (SERVER, NETWORK, TIMEOUT, RATE_LIMITED, ...)
  2  the input or the command line is wrong (VALIDATION, USAGE)
  3  UNAUTHORIZED or FORBIDDEN
  4  NOT_FOUND or PRECONDITION_FAILED

Run \`${TOOL} <command> --help\` for the usage of one command.
`;
}

function groupHelp(group) {
  const commands = COMMANDS.filter((command) => command.words[0] === group);
  const lines = commands.map((command) => `  ${TOOL} ${command.synopsis}`);
  return `Usage:
${lines.join('\n')}

Run \`${TOOL} ${group} <command> --help\` for the usage of one command.
`;
}

function commandHelp(command) {
  return `Usage: ${TOOL} ${command.synopsis}

${capitalized(command.summary)}.
${command.details}

${GLOBAL_HELP}
`;
}

function capitalized(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------
// Arguments

/** Splits the command line into the options, the command and its positional arguments. */
function parseCommandLine(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...COMMAND_OPTIONS },
      allowPositionals: true,
      strict: true,
    });
  } catch (failure) {
    // Node's messages go on with advice about `--`; the first sentence says what is wrong.
    throw usageError(String(failure.message).split(/\.(?:\s|$)/)[0]);
  }

  const { values, positionals } = parsed;
  if (positionals[0] === 'help') {
    return { values: { ...values, help: true }, positionals: positionals.slice(1) };
  }
  return { values, positionals };
}

/** Finds the command the positional arguments name, or explains what is missing. */
function findCommand(positionals) {
  const [group, action] = positionals;
  if (!GROUPS.includes(group)) {
    throw usageError(`unknown command "${group}"`);
  }
  const command = COMMANDS.find(
    (candidate) =>
      candidate.words[0] === group &&
      (candidate.words.length === 1 || candidate.words[1] === action),
  );
  if (!command) {
    const actions = COMMANDS.filter((candidate) => candidate.words[0] === group)
      .map((candidate) => candidate.words[1])
      .join(', ');
    const problem = action === undefined ? 'missing a command' : `"${action}" is not a command`;
    const hint = `run \`${TOOL} ${group} --help\``;
    throw new CliError('USAGE', `${group}: ${problem} (one of ${actions}); ${hint}`);
  }
  return command;
}

/** Names the command's positional arguments, refusing missing and extra ones. */
function commandArguments(command, positionals, values) {
  const given = positionals.slice(command.words.length);
  const name = command.words.join(' ');
  if (given.length < command.positionals.length) {
    const missing = command.positionals.slice(given.length).map((field) => `<${field}>`);
    throw commandUsageError(command, `${name}: missing ${missing.join(' ')}`);
  }
  if (given.length > command.positionals.length) {
    const extra = given.slice(command.positionals.length).join(' ');
    throw commandUsageError(command, `${name}: unexpected argument ${extra}`);
  }

  for (const option of Object.keys(COMMAND_OPTIONS)) {
    if (values[option] !== undefined && !command.options.includes(option)) {
      throw commandUsageError(command, `${name} takes no --${option}`);
    }
  }
  if (command.options.includes('input') && values.input === undefined) {
    throw commandUsageError(command, `${name}: missing --input <file|->`);
  }

  return Object.fromEntries(command.positionals.map((field, index) => [field, given[index]]));
}

function commandUsageError(command, message) {
  return new CliError('USAGE', `${message}; run \`${TOOL} ${command.words.join(' ')} --help\``);
}

/** Reads a whole number of at least 1 from an option, or undefined when it is absent. */
function countOption(values, option) {
  const text = values[option];
  if (text === undefined) {
    return undefined;
  }
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new CliError('VALIDATION', `invalid option --${option}`, [
      { field: `--${option}`, message: 'must be a whole number from 1' },
    ]);
  }
  return Number(text);
}

// ---------------------------------------------------------------------------------------
// Settings: the command line first, then the environment

/** The gateway as the client's options spell it: `{ baseUrl }` or `{ platform }`. */
function gatewaySettings(values, env) {
  if (values['base-url'] !== undefined && values.platform !== undefined) {
    throw usageError('give --base-url or --platform, not both');
  }
  if (values['base-url'] !== undefined) {
    return { baseUrl: values['base-url'] };
  }
  if (values.platform !== undefined) {
    return { platform: values.platform };
  }

  const baseUrl = nonEmpty(env.QUALYS_CS_BASE_URL);
  const platform = nonEmpty(env.QUALYS_CS_PLATFORM);
  if (baseUrl !== undefined && platform !== undefined) {
    throw usageError('set QUALYS_CS_BASE_URL or QUALYS_CS_PLATFORM, not both');
  }
  if (baseUrl !== undefined) {
    return { baseUrl };
  }
  if (platform !== undefined) {
    return { platform };
  }
  throw usageError(
    'no gateway: give --base-url or --platform (or QUALYS_CS_BASE_URL or QUALYS_CS_PLATFORM)',
  );
}

/** The user name and password, or undefined when neither is given anywhere. */
function credentialSettings(values, env) {
  const username = values.username ?? nonEmpty(env.QUALYS_CS_USERNAME);
  const password = values.password ?? nonEmpty(env.QUALYS_CS_PASSWORD);
  if (username === undefined && password === undefined) {
    return undefined;
  }
  if (username === undefined) {
    throw usageError('a password without a user name: give --username (or QUALYS_CS_USERNAME)');
  }
  if (password === undefined) {
    throw usageError('a user name without a password: give --password (or QUALYS_CS_PASSWORD)');
  }
  return { username, password };
}

/** How the client authenticates: `{ token }` or `{ credentials }`. */
function authSettings(values, env) {
  const credentialFlags = values.username !== undefined || values.password !== undefined;
  if (values.token !== undefined && credentialFlags) {
    throw usageError('give --token or --username and --password, not both');
  }
  if (values.token !== undefined) {
    return { token: values.token };
  }
  if (credentialFlags) {
    return { credentials: credentialSettings(values, env) };
  }

  const token = nonEmpty(env.QUALYS_CS_TOKEN);
  if (token !== undefined) {
    return { token };
  }
  const credentials = credentialSettings(values, env);
  if (credentials !== undefined) {
    return { credentials };
  }
  throw usageError(
    'not logged in: give --token (or QUALYS_CS_TOKEN), or --username and --password',
  );
}

function timeoutSettings(values) {
  const timeoutMs = countOption(values, 'timeout-ms');
  return timeoutMs === undefined ? {} : { timeoutMs };
}

/** Leaves out the entries whose value is undefined, for options a function may check. */
function definedOnly(entries) {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}

function nonEmpty(text) {
  return text === undefined || text === '' ? undefined : text;
}

/** Every secret the command line or the environment holds, to keep out of messages. */
function secretsOf(values, env) {
  return [values.token, values.password, env.QUALYS_CS_TOKEN, env.QUALYS_CS_PASSWORD].filter(
    (secret) => typeof secret === 'string' && secret.length >= SHORTEST_MASKED_SECRET,
  );
}

// ---------------------------------------------------------------------------------------
// Input and output

/** Reads the JSON body of a create or update from a file, or from stdin for `-`. */
async function readInput(source) {
  let text;
  try {
    text = source === '-' ? await readStdin() : readFileSync(source, 'utf8');
  } catch (failure) {
    const reason = failure.code === 'ENOENT' ? 'no such file' : failure.message;
    throw new CliError('USAGE', `cannot read --input ${source}: ${reason}`);
  }

  try {
    return JSON.parse(text);
  } catch (failure) {
    const where = source === '-' ? 'stdin' : source;
    throw new CliError('VALIDATION', `the input is not valid JSON`, [
      { field: 'input', message: `${where} is not valid JSON: ${failure.message}` },
    ]);
  }
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function printJson(value) {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Reports a failure as one line on stderr (and a validation's issues below it). */
function reportFailure(failure, secrets) {
  const known = typeof failure?.code === 'string' && typeof failure?.message === 'string';
  const code = known ? failure.code : 'INTERNAL';
  const message = known ? failure.message : String(failure?.message ?? failure);
  const lines = [`${TOOL}: ${code}: ${oneLine(message)}`];
  if (code === 'VALIDATION' && Array.isArray(failure.issues)) {
    for (const issue of failure.issues) {
      lines.push(`  ${oneLine(`${issue.field}: ${issue.message}`)}`);
    }
  }
  process.stderr.write(`${masked(lines.join('\n'), secrets)}\n`);
  return EXIT_CODES[code] ?? EXIT_FAILURE;
}

function oneLine(text) {
  return String(text).replace(/\s*[\r\n]+\s*/g, ' ');
}

function masked(text, secrets) {
  return secrets.reduce((result, secret) => result.split(secret).join('***'), text);
}

/**
 * The line `fetched N of M schedules…` on stderr, rewritten in place; shown only when
 * both stderr and stdout are terminals, so nothing reaches a pipe or a file.
 */
function progressLine(noun) {
  const shown = Boolean(process.stderr.isTTY && process.stdout.isTTY);
  let drawn = false;
  return {
    update(fetched, total) {
      if (!shown) {
        return;
      }
      const of = total === undefined ? '' : ` of ${total}`;
      process.stderr.write(`\r\u001b[2Kfetched ${fetched}${of} ${noun}\u2026`);
      drawn = true;
    },
    clear() {
      if (drawn) {
        process.stderr.write('\r\u001b[2K');
        drawn = false;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------
// Commands

async function runLogin({ values, env }) {
  const gateway = gatewaySettings(values, env);
  const credentials = credentialSettings(values, env);
  if (credentials === undefined) {
    throw usageError(
      'login needs --username and --password (or QUALYS_CS_USERNAME and QUALYS_CS_PASSWORD)',
    );
  }

  const token = await login({ ...gateway, ...credentials, ...timeoutSettings(values) });
  process.stdout.write(`${token}\n`);
}

function schedulesListing({ client, args }) {
  return {
    noun: 'schedules',
    page: (page) => client.listRegistrySchedules(args.registryId, page),
    walk: (options) => client.registrySchedules(args.registryId, options),
  };
}

function profilesListing({ client }) {
  return {
    noun: 'profiles',
    page: (page) => client.listSensorProfiles(page),
    walk: (options) => client.sensorProfiles(options),
  };
}

/** Prints one page as the API answers it, or with --all or --limit every item. */
async function runListing({ client, values }, listing) {
  const pageSize = countOption(values, 'page-size');
  const limit = countOption(values, 'limit');
  if (!values.all && limit === undefined) {
    const page = await listing.page(definedOnly({ pageSize }));
    return { data: page.data, count: page.count };
  }

  const size = pageSize ?? DEFAULT_PAGE_SIZE;
  const progress = progressLine(listing.noun);
  const items = [];
  try {
    for await (const item of listing.walk(definedOnly({ pageSize, limit }))) {
      items.push(item);
      // The first item of a page says the page has arrived; the line appears with the
      // second page, since a listing of one page needs no progress.
      if (items.length > size && (items.length - 1) % size === 0) {
        const pages = (items.length - 1) / size + 1;
        const total = totalOf(client.listedCount, limit);
        const fetched = total === undefined ? items.length : Math.min(pages * size, total);
        progress.update(fetched, total);
      }
    }
  } finally {
    progress.clear();
  }
  return items;
}

function totalOf(count, limit) {
  if (count === undefined) {
    return undefined;
  }
  return limit === undefined ? count : Math.min(count, limit);
}

/**
 * The client, noting the `count` of the last page a listing fetched, which the walks over
 * the pages do not tell: the progress line shows it as the total.
 */
class CountingClient extends ContainerSecurityClient {
  listedCount = undefined;

  async listRegistrySchedules(...args) {
    return this.#counted(await super.listRegistrySchedules(...args));
  }

  async listSensorProfiles(...args) {
    return this.#counted(await super.listSensorProfiles(...args));
  }

  #counted(page) {
    this.listedCount = page.count;
    return page;
  }
}

// ---------------------------------------------------------------------------------------
// Main

/** Runs one command line and returns the exit code. */
async function main(argv, env) {
  let secrets = secretsOf({}, env);
  try {
    const { values, positionals } = parseCommandLine(argv);
    secrets = secretsOf(values, env);

    if (positionals.length === 0) {
      if (values.help) {
        process.stdout.write(toolHelp());
        return EXIT_SUCCESS;
      }
      throw usageError('missing command');
    }
    if (values.help && positionals.length === 1 && GROUPS.includes(positionals[0])
      && positionals[0] !== 'login') {
      process.stdout.write(groupHelp(positionals[0]));
      return EXIT_SUCCESS;
    }
    const command = findCommand(positionals);
    if (values.help) {
      process.stdout.write(commandHelp(command));
      return EXIT_SUCCESS;
    }

    const args = commandArguments(command, positionals, values);
    const context = { values, env, args };
    if (command.run !== runLogin) {
      context.client = new CountingClient({
        ...gatewaySettings(values, env),
        ...authSettings(values, env),
        ...timeoutSettings(values),
      });
    }
    const result = await command.run(context);
    if (result !== undefined) {
      printJson(result);
    }
    return EXIT_SUCCESS;
  } catch (failure) {
    return reportFailure(failure, secrets);
  }
}

// A reader that closes the pipe early (`| head`) is not a failure of the command.
process.stdout.on('error', (failure) => {
  if (failure.code === 'EPIPE') {
    process.exit(process.exitCode ?? EXIT_SUCCESS);
  }
  throw failure;
});

process.exitCode = await main(process.argv.slice(2), process.env);
