import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_outbox_dead_letter.js';
import * as m0003 from './0003_full_lifecycle.js';
import * as m0004 from './0004_petition_details.js';
import * as m0005 from './0005_time.js';
import * as m0006 from './0006_notification_delivery.js';
import * as m0007 from './0007_accounts.js';
import * as m0008 from './0008_personal_data_access.js';
import * as m0009 from './0009_open311_api_keys.js';
import * as m0010 from './0010_reports.js';
import * as m0011 from './0011_report_indexes.js';
import * as m0012 from './0012_report_monthly.js';
import * as m0013 from './0013_petitions_fillfactor.js';
import * as m0014 from './0014_report_backlog.js';

/** Every migration, in order. Static imports keep the service build self-contained. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_outbox_dead_letter': m0002,
  '0003_full_lifecycle': m0003,
  '0004_petition_details': m0004,
  '0005_time': m0005,
  '0006_notification_delivery': m0006,
  '0007_accounts': m0007,
  '0008_personal_data_access': m0008,
  '0009_open311_api_keys': m0009,
  '0010_reports': m0010,
  '0011_report_indexes': m0011,
  '0012_report_monthly': m0012,
  '0013_petitions_fillfactor': m0013,
  '0014_report_backlog': m0014,
};
