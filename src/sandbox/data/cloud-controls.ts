/**
 * Azure and GCP misconfiguration controls in the style of Prowler's azure/gcp providers (ids, severities and
 * resource types written for the demo; the AWS set in aws-checks.ts is the real, derived one).
 * [check id, severity, resource type, service, title].
 */
import type { AwsCheckRow } from './aws-checks.js';

// biome-ignore format: a data table reads best one row per line
export const AZURE_CONTROLS: readonly AwsCheckRow[] = [
  ['storage_blob_public_access_level_is_disabled', 'high', 'Microsoft.Storage/storageAccounts', 'storage', 'Storage account disallows public blob access'],
  ['storage_secure_transfer_required_is_enabled', 'medium', 'Microsoft.Storage/storageAccounts', 'storage', 'Storage account requires secure transfer'],
  ['storage_ensure_minimum_tls_version_12', 'medium', 'Microsoft.Storage/storageAccounts', 'storage', 'Storage account enforces TLS 1.2 or later'],
  ['keyvault_rbac_enabled', 'medium', 'Microsoft.KeyVault/vaults', 'keyvault', 'Key Vault uses RBAC authorization'],
  ['keyvault_recoverable', 'high', 'Microsoft.KeyVault/vaults', 'keyvault', 'Key Vault has soft delete and purge protection'],
  ['network_ssh_internet_access_restricted', 'critical', 'Microsoft.Network/networkSecurityGroups', 'network', 'Network security group blocks SSH from the internet'],
  ['network_rdp_internet_access_restricted', 'critical', 'Microsoft.Network/networkSecurityGroups', 'network', 'Network security group blocks RDP from the internet'],
  ['sqlserver_auditing_enabled', 'medium', 'Microsoft.Sql/servers', 'sqlserver', 'SQL server has auditing enabled'],
  ['sqlserver_unrestricted_inbound_access', 'critical', 'Microsoft.Sql/servers', 'sqlserver', 'SQL server firewall does not allow 0.0.0.0/0'],
  ['vm_ensure_using_managed_disks', 'medium', 'Microsoft.Compute/virtualMachines', 'vm', 'Virtual machine uses managed disks'],
  ['defender_ensure_defender_for_servers_is_on', 'high', 'Microsoft.Security/pricings', 'defender', 'Defender for Servers is on'],
  ['entra_policy_ensure_default_user_cannot_create_apps', 'low', 'Microsoft.Entra/policies', 'entra', 'Default users cannot register applications'],
];

// biome-ignore format: a data table reads best one row per line
export const GCP_CONTROLS: readonly AwsCheckRow[] = [
  ['cloudstorage_bucket_public_access', 'critical', 'storage.googleapis.com/Bucket', 'cloudstorage', 'Cloud Storage bucket is not publicly accessible'],
  ['cloudstorage_bucket_uniform_bucket_level_access', 'medium', 'storage.googleapis.com/Bucket', 'cloudstorage', 'Cloud Storage bucket uses uniform bucket-level access'],
  ['compute_instance_public_ip', 'high', 'compute.googleapis.com/Instance', 'compute', 'Compute instance has no public IP address'],
  ['compute_firewall_ssh_access_from_the_internet_allowed', 'critical', 'compute.googleapis.com/Firewall', 'compute', 'Firewall rule does not allow SSH from the internet'],
  ['compute_firewall_rdp_access_from_the_internet_allowed', 'critical', 'compute.googleapis.com/Firewall', 'compute', 'Firewall rule does not allow RDP from the internet'],
  ['compute_instance_shielded_vm_enabled', 'medium', 'compute.googleapis.com/Instance', 'compute', 'Compute instance has Shielded VM enabled'],
  ['iam_sa_no_administrative_privileges', 'high', 'iam.googleapis.com/ServiceAccount', 'iam', 'Service account has no administrative privileges'],
  ['iam_sa_user_managed_key_rotate_90_days', 'medium', 'iam.googleapis.com/ServiceAccountKey', 'iam', 'User-managed service account keys rotate within 90 days'],
  ['cloudsql_instance_public_access', 'critical', 'sqladmin.googleapis.com/Instance', 'cloudsql', 'Cloud SQL instance is not open to the world'],
  ['cloudsql_instance_automated_backups', 'medium', 'sqladmin.googleapis.com/Instance', 'cloudsql', 'Cloud SQL instance has automated backups'],
  ['kms_key_rotation_enabled', 'medium', 'cloudkms.googleapis.com/CryptoKey', 'kms', 'KMS key rotates within 90 days'],
  ['logging_sink_created', 'low', 'logging.googleapis.com/LogSink', 'logging', 'A log sink exports all log entries'],
];
