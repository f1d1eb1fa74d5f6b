import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { describeStoreContract } from './store-contract.ts';

describeStoreContract('sqlite', async () => openSqliteStore(':memory:'));
