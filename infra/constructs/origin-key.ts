import { Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Inputs of the origin key construct. */
export interface OriginKeyProps {
  /** Which key CloudFront sends (context `originKeyGeneration`, default 1); the one before stays accepted. */
  readonly generation: number;
}

/**
 * The key CloudFront sends the origin in a custom header, so the functions
 * can refuse everyone else (functions/http/origin.ts). Each generation is a
 * random 48-character secret made by Secrets Manager; CloudFront sends the
 * current one and the functions accept it and the one before, so a rotation
 * (`-c originKeyGeneration=<n+1>`) is one deploy without a refused request:
 * the functions, which the distribution depends on, accept the new key
 * before any edge sends it. The values reach CloudFront and the functions as
 * CloudFormation dynamic references: never in the template, its outputs, or
 * a log line.
 */
export class OriginKey extends Construct {
  /** The key CloudFront sends (a dynamic reference, resolved at deploy). */
  readonly current: string;
  /** Every key the functions accept, comma-separated (dynamic references). */
  readonly accepted: string;

  constructor(scope: Construct, id: string, props: OriginKeyProps) {
    super(scope, id);
    const generations = [props.generation, props.generation - 1].filter((g) => g >= 1);
    const values = generations.map((generation) => {
      const secret = new Secret(this, `Generation${generation}`, {
        description: `Newswire origin key, generation ${generation}: CloudFront sends it, the functions check it`,
        generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Rotated by deploying the next generation (-c originKeyGeneration), which updates CloudFront and the ' +
          'functions together with no refused request; a Secrets Manager rotation function could not update the ' +
          'distribution without drifting it from the stack.',
      });
      return secret.secretValue.unsafeUnwrap();
    });
    this.current = values[0]!;
    this.accepted = values.join(',');
  }
}
