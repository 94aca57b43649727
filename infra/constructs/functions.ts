import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ARCHITECTURE, BUNDLING, RUNTIME } from '../bundling.ts';
import type { LogLevel } from '../settings.ts';

/** The three Lambda entry points, keyed by the name the stack and the docs use for them. */
export type FunctionName = 'articles' | 'feeds' | 'pages';

/** What each function needs: its entry file, size, and whether it may write to the table. */
export interface FunctionSpec {
  readonly name: FunctionName;
  readonly entry: string;
  readonly description: string;
  readonly memorySize: number;
  readonly tableAccess: 'read' | 'read-write';
}

/** Every function of the stack; the bundle-size test bundles the same entries. */
export const FUNCTION_SPECS: readonly FunctionSpec[] = [
  {
    name: 'articles',
    entry: 'functions/articles.ts',
    description: 'Newswire write API: PUT/GET/DELETE /api/articles/{id}',
    memorySize: 256,
    tableAccess: 'read-write',
  },
  {
    name: 'feeds',
    entry: 'functions/feeds.ts',
    description: 'Newswire feeds: RSS, Atom and JSON Feed per edition and section',
    memorySize: 512,
    tableAccess: 'read',
  },
  {
    name: 'pages',
    entry: 'functions/pages.ts',
    description: 'Newswire HTML pages and OPML',
    memorySize: 512,
    tableAccess: 'read',
  },
];

/** Repository root: entries, package-lock.json and tsconfig.json are resolved from here. */
export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/** Inputs of the functions construct. */
export interface NewswireFunctionsProps {
  readonly table: Table;
  readonly logLevel: LogLevel;
  /** Public site URL for links in feeds and pages; unset = the baseUrl of newswire.config.ts. */
  readonly baseUrl?: string;
}

/** One NodejsFunction per entry in functions/, each with its own least-privilege role and log group. */
export class NewswireFunctions extends Construct {
  /** The functions by name. */
  readonly byName: Readonly<Record<FunctionName, NodejsFunction>>;
  /** The functions' log groups by name. */
  readonly logGroups: Readonly<Record<FunctionName, LogGroup>>;

  constructor(scope: Construct, id: string, props: NewswireFunctionsProps) {
    super(scope, id);
    const functions: Partial<Record<FunctionName, NodejsFunction>> = {};
    const logGroups: Partial<Record<FunctionName, LogGroup>> = {};
    for (const spec of FUNCTION_SPECS) {
      const logicalId = spec.name.charAt(0).toUpperCase() + spec.name.slice(1);
      const logGroup = new LogGroup(this, `${logicalId}Logs`, {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      // An own role instead of AWSLambdaBasicExecutionRole: that managed policy may
      // create and write any log group in the account; this one writes only its own.
      const role = new Role(this, `${logicalId}Role`, {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: `Runs the Newswire ${spec.name} function`,
      });
      logGroup.grantWrite(role);
      const fn = new NodejsFunction(this, logicalId, {
        entry: join(PROJECT_ROOT, spec.entry),
        handler: 'handler',
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
        runtime: RUNTIME,
        architecture: ARCHITECTURE,
        memorySize: spec.memorySize,
        timeout: Duration.seconds(10),
        description: spec.description,
        role,
        logGroup,
        bundling: BUNDLING,
        environment: {
          TABLE_NAME: props.table.tableName,
          LOG_LEVEL: props.logLevel,
          NODE_OPTIONS: '--enable-source-maps',
          ...(props.baseUrl !== undefined && { NEWSWIRE_BASE_URL: props.baseUrl }),
        },
      });
      if (spec.tableAccess === 'read-write') props.table.grantReadWriteData(fn);
      else props.table.grantReadData(fn);
      functions[spec.name] = fn;
      logGroups[spec.name] = logGroup;
    }
    this.byName = functions as Record<FunctionName, NodejsFunction>;
    this.logGroups = logGroups as Record<FunctionName, LogGroup>;
  }
}
