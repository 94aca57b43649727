import { createNewswireApp } from './newswire-app.ts';

// Entry point named in cdk.json (`npx tsx infra/app.ts`). The CLI sets CDK_DEFAULT_REGION
// and CDK_DEFAULT_ACCOUNT when it can resolve them from your credentials (cdk deploy);
// a fresh clone without credentials synthesizes an environment-agnostic stack.
createNewswireApp(
  {},
  { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
).app.synth();
