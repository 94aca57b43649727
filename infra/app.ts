import { createNewswireApp } from './newswire-app.ts';

// Entry point named in cdk.json (`npx tsx infra/app.ts`).
createNewswireApp().app.synth();
