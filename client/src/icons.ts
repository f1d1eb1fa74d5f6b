// Icon files per family, shipped with the app (Vite copies them to dist/assets).
import type { Family } from './graph/family.ts';
import compute from './icons/compute.svg';
import database from './icons/database.svg';
import identity from './icons/identity.svg';
import network from './icons/network.svg';
import other from './icons/other.svg';
import serverless from './icons/serverless.svg';
import storage from './icons/storage.svg';

export const ICONS: Record<Family, string> = { compute, network, storage, database, identity, serverless, other };
