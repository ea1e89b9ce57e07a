/**
 * The GraphQL documents Arx sends to Wiz, with the selections of api-contracts §1.2–1.6 (the fields the
 * public integrations read and the normalisers use). `sourceRule` is a union, so its `description` fields
 * are aliased apart; `vulnerableAsset` is an interface with per-kind extras.
 */
import type { WizFindingKind } from './operations.js';

const ISSUES = /* GraphQL */ `
query IssuesTable($filterBy: IssueFilters, $first: Int, $after: String, $orderBy: IssueOrder) {
  issues: issuesV2(filterBy: $filterBy, first: $first, after: $after, orderBy: $orderBy) {
    nodes {
      id
      sourceRule { __typename
        ... on Control { id name controlDescription: description resolutionRecommendation }
        ... on CloudEventRule { id name cloudEventRuleDescription: description sourceType type }
        ... on CloudConfigurationRule { id name cloudConfigurationRuleDescription: description remediationInstructions serviceType }
      }
      type createdAt updatedAt dueAt statusChangedAt status severity
      projects { id name slug businessUnit riskProfile { businessImpact } }
      entitySnapshot { id type nativeType name status cloudPlatform cloudProviderURL providerId region
                       resourceGroupExternalId subscriptionExternalId subscriptionName subscriptionTags tags externalId }
      serviceTickets { externalId name url }
      notes { id createdAt updatedAt text user { name email } serviceAccount { name } }
    }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

const VULNERABILITIES = /* GraphQL */ `
query VulnerabilityFindingsPage($filterBy: VulnerabilityFindingFilters, $first: Int, $after: String, $orderBy: VulnerabilityFindingOrder) {
  vulnerabilityFindings(filterBy: $filterBy, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    nodes {
      id portalUrl name CVEDescription CVSSSeverity score exploitabilityScore impactScore
      hasExploit hasCisaKevExploit status vendorSeverity firstDetectedAt lastDetectedAt resolvedAt
      description remediation detailedName version fixedVersion detectionMethod link locationPath
      resolutionReason epssSeverity epssPercentile epssProbability
      projects { id name businessUnit riskProfile { businessImpact } }
      vulnerableAsset {
        ... on VulnerableAssetBase { id type name region providerUniqueId cloudProviderURL cloudPlatform status
                                     subscriptionName subscriptionExternalId subscriptionId tags
                                     hasLimitedInternetExposure hasWideInternetExposure }
        ... on VulnerableAssetVirtualMachine { operatingSystem ipAddresses }
        ... on VulnerableAssetServerless { runtime }
        ... on VulnerableAssetContainerImage { imageId }
        ... on VulnerableAssetContainer { ImageExternalId VmExternalId ServerlessContainer PodNamespace PodName NodeName }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const CONFIGURATION = /* GraphQL */ `
query CloudConfigurationFindingsPage($filterBy: ConfigurationFindingFilters, $first: Int, $after: String, $orderBy: ConfigurationFindingOrder) {
  configurationFindings(filterBy: $filterBy, first: $first, after: $after, orderBy: $orderBy) {
    nodes {
      id firstSeenAt severity result remediation
      resource { id name type subscription { id name externalId cloudProvider }
                 projects { id name riskProfile { businessImpact } } }
      rule { id graphId name description remediationInstructions }
    }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

/** Per finding kind: the document and the response field (alias) holding the connection. */
export const FINDING_QUERIES: Record<WizFindingKind, { query: string; field: string }> = {
  issues: { query: ISSUES, field: 'issues' },
  vulnerabilities: { query: VULNERABILITIES, field: 'vulnerabilityFindings' },
  configuration: { query: CONFIGURATION, field: 'configurationFindings' },
};

/** The cheapest read that proves token, endpoint and the issues scope: one count. */
export const PROBE_QUERY = /* GraphQL */ `
query ArxConnectionTest { issues: issuesV2(first: 1) { totalCount } }`;

export const UPDATE_ISSUE = /* GraphQL */ `
mutation UpdateIssue($issueId: ID!, $patch: UpdateIssuePatch, $override: UpdateIssuePatch) {
  updateIssue(input: { id: $issueId, patch: $patch, override: $override }) {
    issue { id status dueAt resolutionReason }
  }
}`;

export const CREATE_ISSUE_NOTE = /* GraphQL */ `
mutation CreateIssueComment($input: CreateIssueNoteInput!) {
  createIssueNote(input: $input) { issueNote { id createdAt text } }
}`;

/** Notes of one issue, read before adding one: Wiz has no idempotency key for notes (§1.7). */
export const ISSUE_NOTES = /* GraphQL */ `
query IssueNotes($filterBy: IssueFilters) {
  issues: issuesV2(filterBy: $filterBy, first: 1) { nodes { id notes { id text createdAt } } }
}`;
