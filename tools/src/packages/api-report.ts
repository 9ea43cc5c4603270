// `node tools/scripts/api-report.js libs/<lib> [--local]` (the `api-report` target of every library): API Extractor
// reads the built declarations of each entry point and compares its public API with the committed report,
// `libs/<lib>/api/<lib>.api.md` (and `<lib>-testing.api.md` for `./testing`). Without --local a changed API, a
// missing doc comment or a type used by the API but not exported fails; with --local (`npm run api-reports`) the
// reports are rewritten, to be reviewed and committed with the change.
import {
  Extractor,
  ExtractorConfig,
  ExtractorLogLevel,
  ExtractorMessageCategory,
  type ExtractorMessage,
  type IConfigFile,
} from '@microsoft/api-extractor';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, libraryProject, workspacePackages } from './build-package';
import { LIB_DIR, type EntryPoint } from './package-manifest';

/** What one entry point's check found. */
export interface ApiReportResult {
  /** `libs/core/api/core.api.md`. */
  readonly report: string;
  /** False when the API differs from the committed report (always true with `local`, which rewrites it). */
  readonly upToDate: boolean;
  /** Errors and warnings: undocumented exports, types the API uses but the entry point does not export, bad TSDoc. */
  readonly problems: number;
  /** Members (properties, methods) without a doc comment: marked `(undocumented)` in the report, not failures. */
  readonly undocumentedMembers: number;
}

/** The report's base name for an entry point: `core`, `core-testing`. */
function reportName(root: string, entry: EntryPoint): string {
  const lib = path.basename(root);
  return entry.subpath === '.' ? lib : `${lib}-${entry.subpath.replace(/^\.\//, '').replaceAll('/', '-')}`;
}

/**
 * Links every built library into `dist/node_modules/@aiaa/*`, so the declarations of one resolve the others as a
 * consumer's do: as external packages, not as sources of the package under review.
 */
function linkBuiltPackages(): void {
  for (const name of workspacePackages().keys()) {
    const link = path.join(REPO_ROOT, 'dist', 'node_modules', name);
    const target = path.join(REPO_ROOT, 'dist', 'libs', name.replace(/^@aiaa\//, ''));
    rmSync(link, { recursive: true, force: true });
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(path.relative(path.dirname(link), target), link, 'dir');
  }
}

/** Names the main entry point of the package exports, read from its report. */
function exportedNames(reportFile: string): Set<string> {
  const names = new Set<string>();
  const text = existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : '';
  for (const match of text.matchAll(
    /^export (?:declare )?(?:abstract )?(?:class|interface|type|function|const|enum|namespace) (\w+)/gm,
  )) {
    names.add(match[1] as string);
  }
  return names;
}

function extractorConfig(root: string, entry: EntryPoint): ExtractorConfig {
  const project = libraryProject(root);
  const outDir = path.join(REPO_ROOT, project.outDir);
  const name = reportName(root, entry);
  const configObject: IConfigFile = {
    projectFolder: outDir,
    mainEntryPointFilePath: path.join(outDir, entry.dts),
    compiler: {
      overrideTsconfig: {
        compilerOptions: {
          target: 'ES2022',
          module: 'node16',
          preserveSymlinks: true,
          moduleResolution: 'node16',
          lib: ['ES2023'],
          types: ['node'],
          typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
          strict: true,
        },
        include: [path.join(outDir, LIB_DIR, '**', '*.d.ts')],
      },
      skipLibCheck: true,
    },
    apiReport: {
      enabled: true,
      reportFileName: `${name}.api.md`,
      reportFolder: path.join(REPO_ROOT, root, 'api'),
      reportTempFolder: path.join(REPO_ROOT, 'tmp', 'api-report', name),
    },
    docModel: { enabled: false },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    newlineKind: 'lf',
    messages: {
      compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
      extractorMessageReporting: {
        default: { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: false },
        // Every export is public: the packages have no alpha or beta tier for release tags to mark.
        'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
        // Every export is documented: what it is, units, when it throws.
        'ae-undocumented': { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: false },
      },
      tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
    },
  };
  return ExtractorConfig.prepare({
    configObject,
    configObjectFullPath: undefined,
    packageJsonFullPath: path.join(outDir, 'package.json'),
  });
}

/** The folder of generated sources: their comments are the OpenAPI document's text, linted there, not TSDoc. */
const GENERATED = `${path.sep}${LIB_DIR}${path.sep}generated${path.sep}`;

/**
 * True for a message about a member of a class or interface: tsc writes top-level declarations of a `.d.ts` at the
 * start of a line, members indented.
 */
function isAboutMember(message: ExtractorMessage, lines: Map<string, string[]>): boolean {
  const file = message.sourceFilePath;
  if (file === undefined || message.sourceFileLine === undefined) {
    return false;
  }
  if (!lines.has(file)) {
    lines.set(file, readFileSync(file, 'utf8').split('\n'));
  }
  return /^\s/.test(lines.get(file)?.[message.sourceFileLine - 1] ?? '');
}

/** `VoxelArray` of 'The symbol "VoxelArray" needs to be exported by the entry point testing.d.ts'. */
function forgottenSymbol(message: ExtractorMessage): string {
  return /"([^"]+)"/.exec(message.text)?.[1] ?? '';
}

/** Checks (or, with `local`, rewrites) the API report of every entry point of the library at `root`. */
export function checkApiReports(root: string, local: boolean): ApiReportResult[] {
  linkBuiltPackages();
  let mainExports = new Set<string>();
  return libraryProject(root).entryPoints.map((entry) => {
    const config = extractorConfig(root, entry);
    mkdirSync(path.dirname(config.reportFilePath), { recursive: true });
    const lines = new Map<string, string[]>();
    let undocumentedMembers = 0;
    let problems = 0;
    const result = Extractor.invoke(config, {
      localBuild: local,
      showVerboseMessages: false,
      messageCallback: (message) => {
        if (message.messageId === 'ae-undocumented' && isAboutMember(message, lines)) {
          undocumentedMembers++;
          message.handled = true;
        } else if (message.category === ExtractorMessageCategory.TSDoc && message.sourceFilePath?.includes(GENERATED)) {
          message.handled = true;
        } else if (message.messageId === 'ae-forgotten-export' && mainExports.has(forgottenSymbol(message))) {
          // A `./testing` builder taking or returning a type of the main entry point: exported there.
          message.handled = true;
        }
        const reported = message.logLevel === ExtractorLogLevel.Error || message.logLevel === ExtractorLogLevel.Warning;
        // Console messages are API Extractor's own notes ("report updated"); its errors count.
        if (!message.handled && reported) {
          const note = message.category === ExtractorMessageCategory.Console;
          problems += note && message.logLevel !== ExtractorLogLevel.Error ? 0 : 1;
        }
      },
    });
    if (entry.subpath === '.') {
      mainExports = exportedNames(config.reportFilePath);
    }
    return {
      report: path.relative(REPO_ROOT, config.reportFilePath),
      upToDate: local || !result.apiReportChanged,
      problems,
      undocumentedMembers,
    };
  });
}

if (require.main === module) {
  const local = process.argv.includes('--local');
  const roots = process.argv.slice(2).filter((arg) => arg !== '--local');
  let failed = false;
  for (const root of roots) {
    for (const result of checkApiReports(root, local)) {
      const problems = result.problems;
      if (!result.upToDate) {
        console.error(`${result.report} differs from the API: review the change, then run \`npm run api-reports\``);
      }
      if (problems > 0) {
        console.error(`${result.report}: ${problems} problem(s) above (undocumented exports, unexported types, …)`);
      }
      failed ||= !result.upToDate || problems > 0;
      if (result.upToDate && problems === 0) {
        const members = result.undocumentedMembers > 0 ? ` (${result.undocumentedMembers} members undocumented)` : '';
        console.log(`${result.report}: ${local ? 'written' : 'up to date'}${members}`);
      }
    }
  }
  process.exit(failed ? 1 : 0);
}
