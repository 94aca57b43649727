import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type ITable,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { EXPIRES_AT } from '../../functions/store/dynamo-stats-store.ts';

/** Inputs of the table construct. */
export interface NewswireTableProps {
  /**
   * Use this existing table (e.g. one restored from point-in-time recovery) instead of
   * the stack's own. The stack's own table is retained, not deleted, when this is set.
   */
  readonly existingTableName?: string;
  /** The existing table's stream (KEYS_ONLY or richer), so WebSub pings follow its writes. */
  readonly existingTableStreamArn?: string;
}

/** The one DynamoDB table of DESIGN.md, built to survive mistakes (PITR, deletion protection, retained). */
export class NewswireTable extends Construct {
  /** The table; its name reaches the functions as TABLE_NAME. */
  readonly table: ITable;

  constructor(scope: Construct, id: string, props: NewswireTableProps = {}) {
    super(scope, id);
    if (props.existingTableName !== undefined) {
      this.table = Table.fromTableAttributes(this, 'Table', {
        tableName: props.existingTableName,
        ...(props.existingTableStreamArn !== undefined && { tableStreamArn: props.existingTableStreamArn }),
      });
      return;
    }
    const table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Keys only: a changed item's key names the feed, Top Stories list or article (functions/notify.ts).
      stream: StreamViewType.KEYS_ONLY,
      // Subscriber summaries and client sets expire (a backstop: closing a day deletes its sets itself).
      timeToLiveAttribute: EXPIRES_AT,
    });
    // aws-cdk-lib declares Table.tableStreamArn as `string | undefined` but ITable's as an
    // optional `string`, which exactOptionalPropertyTypes rejects; the object is an ITable.
    this.table = table as unknown as ITable;
  }
}
