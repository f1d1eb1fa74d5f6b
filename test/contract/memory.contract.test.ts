import { openMemoryStore } from '../../graph/stores/memory/index.ts';
import { describeStoreContract } from './store-contract.ts';

describeStoreContract('memory', async () => openMemoryStore());
