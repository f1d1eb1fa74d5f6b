// Icon files per family, shipped with the app (Vite copies them to dist/assets).
import type { Family } from './graph/family.ts';
import compute from './icons/compute.svg';
import database from './icons/database.svg';
import identity from './icons/identity.svg';
import network from './icons/network.svg';
import other from './icons/other.svg';
import serverless from './icons/serverless.svg';
import storage from './icons/storage.svg';

import computeSvg from './icons/compute.svg?raw';
import databaseSvg from './icons/database.svg?raw';
import identitySvg from './icons/identity.svg?raw';
import networkSvg from './icons/network.svg?raw';
import otherSvg from './icons/other.svg?raw';
import serverlessSvg from './icons/serverless.svg?raw';
import storageSvg from './icons/storage.svg?raw';

export const ICONS: Record<Family, string> = { compute, network, storage, database, identity, serverless, other };

/** The same icons as SVG text, embedded in exported pictures (which must stand alone). */
export const ICON_SVGS: Record<Family, string> = {
  compute: computeSvg,
  network: networkSvg,
  storage: storageSvg,
  database: databaseSvg,
  identity: identitySvg,
  serverless: serverlessSvg,
  other: otherSvg,
};
