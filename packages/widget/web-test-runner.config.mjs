import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';

/**
 * Counts individual tests of one session. A session that failed outside any
 * test (a file that did not load, an uncaught error, a browser crash) counts
 * as at least one failure, so a broken file can never look green.
 *
 * @param {import('@web/test-runner').TestSession} session
 */
function countSession(session) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  /** @param {import('@web/test-runner').TestSuiteResult} suite */
  const walk = (suite) => {
    for (const test of suite.tests) {
      if (test.skipped) totals.skipped += 1;
      else if (test.passed) totals.passed += 1;
      else totals.failed += 1;
    }
    for (const child of suite.suites) walk(child);
  };
  if (session.testResults) walk(session.testResults);
  const brokenOutsideTests = session.errors.length > 0 || session.passed === false || !session.testResults;
  if (brokenOutsideTests && totals.failed === 0) totals.failed = 1;
  return totals;
}

/**
 * Writes `{"passed":N,"failed":N,"skipped":N}` to the file named by
 * PARLEY_WTR_SUMMARY when a run finishes, for the repository's test script
 * to add up with the other packages' totals.
 *
 * @returns {import('@web/test-runner').Reporter}
 */
function summaryReporter() {
  const target = process.env.PARLEY_WTR_SUMMARY;
  return {
    onTestRunFinished({ sessions }) {
      if (!target) return;
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const counted = countSession(session);
        totals.passed += counted.passed;
        totals.failed += counted.failed;
        totals.skipped += counted.skipped;
      }
      writeFileSync(target, JSON.stringify(totals) + '\n');
    },
  };
}

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: 'src/**/*.test.ts',
  nodeResolve: true,
  // Chromium on a two-core machine: more parallel pages only make tests flaky.
  concurrency: 2,
  plugins: [
    // esbuild reads this file as it stands, without following `extends`, so the
    // widget's tsconfig repeats the two options Lit's decorators need:
    // experimentalDecorators and useDefineForClassFields: false.
    esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
  ],
  browsers: [
    chromeLauncher({
      // Each test file gets a browser context of its own: files run side by side
      // on one origin, and a shared localStorage (and its storage events) would
      // let one file sign another out or clear its drafts.
      createPage: async ({ browser }) => {
        const context = await browser.createBrowserContext();
        const page = await context.newPage();
        page.once('close', () => void context.close().catch(() => undefined));
        return page;
      },
      launchOptions: {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
  // Loads the fix for failures that would otherwise hang the run before the test framework starts.
  testRunnerHtml: (testFramework) => `<!DOCTYPE html>
<html>
  <body>
    <script type="module" src="/src/test-support/cloneable-failures.ts"></script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
  testFramework: {
    config: { timeout: 10_000 },
  },
  // Lit's dev-mode notice is printed once per test file and says nothing about the tests.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  reporters: [defaultReporter(), summaryReporter()],
};
