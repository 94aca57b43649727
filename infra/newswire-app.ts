import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import site from '../newswire.config.ts';
import { NewswireStack } from './newswire-stack.ts';
import { readSettings } from './settings.ts';

/** Builds the CDK app: one Newswire stack from newswire.config.ts and CDK context, checked by cdk-nag. */
export function createNewswireApp(props: AppProps = {}): { app: App; stack: NewswireStack } {
  const app = new App(props);
  const settings = readSettings(app.node);
  const { account, region } = settings;
  const stack = new NewswireStack(app, settings.stackName, {
    site,
    settings,
    // Env-agnostic unless pinned with -c account=… / -c region=…, so `cdk synth` needs no credentials.
    ...((account !== undefined || region !== undefined) && {
      env: { ...(account !== undefined && { account }), ...(region !== undefined && { region }) },
    }),
  });
  // Every AwsSolutions finding (error or warning) that is not acknowledged with a reason stops synthesis.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  );
  return { app, stack };
}
