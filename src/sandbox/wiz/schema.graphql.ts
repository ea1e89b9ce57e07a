/**
 * The part of Wiz's GraphQL schema Arx uses, modelled on the API contracts (§1.2–1.6): field and argument
 * names as the public integrations send them. Unknown fields and filter keys fail validation, as on Wiz.
 */
export const WIZ_SDL = /* GraphQL */ `
scalar DateTime
scalar JSON

enum Severity { CRITICAL HIGH MEDIUM LOW INFORMATIONAL NONE }
enum IssueStatus { OPEN IN_PROGRESS RESOLVED REJECTED }
enum IssueType { TOXIC_COMBINATION THREAT_DETECTION CLOUD_CONFIGURATION }
enum IssueResolutionReason { OBJECT_DELETED ISSUE_FIXED FALSE_POSITIVE EXCEPTION WONT_FIX }
enum OrderDirection { ASC DESC }
enum IssueOrderField { SEVERITY CREATED_AT }
enum VulnerabilityFindingOrderField { SEVERITY CREATED_AT }
enum ConfigurationFindingOrderField { SEVERITY CREATED_AT }
enum VulnerabilityFindingStatus { OPEN RESOLVED IGNORED }
enum CloudConfigurationRuleResult { PASS FAIL ERROR NOT_ASSESSED }

input DateFilter { after: DateTime before: DateTime }
input RelatedEntityFilter { id: String type: [String!] }
input IdEqualsFilter { equals: [String!] }

input IssueFilters {
  id: String
  status: [IssueStatus!]
  severity: [Severity!]
  createdAt: DateFilter
  statusChangedAt: DateFilter
  type: [IssueType!]
  relatedEntity: RelatedEntityFilter
  project: [String!]
}
input IssueOrder { field: IssueOrderField! direction: OrderDirection }

input VulnerabilityFindingFilters {
  status: [VulnerabilityFindingStatus!]
  severity: [Severity!]
  firstSeenAt: DateFilter
  resolvedAt: DateFilter
  projectIdV2: IdEqualsFilter
  hasFix: Boolean
  hasExploit: Boolean
  vulnerabilityExternalId: String
  assetId: String
}
input VulnerabilityFindingOrder { field: VulnerabilityFindingOrderField! direction: OrderDirection }

input ConfigurationFindingFilters {
  result: [CloudConfigurationRuleResult!]
  severity: [Severity!]
  firstSeenAt: DateFilter
  rule: RuleFilter
}
input RuleFilter { id: [String!] }
input ConfigurationFindingOrder { field: ConfigurationFindingOrderField! direction: OrderDirection }

type PageInfo { hasNextPage: Boolean! endCursor: String }

type RiskProfile { businessImpact: String }
type Project { id: ID! name: String! slug: String businessUnit: String riskProfile: RiskProfile }

type Control { id: ID! name: String! description: String resolutionRecommendation: String }
type CloudEventRule { id: ID! name: String! description: String sourceType: String type: String }
type CloudConfigurationRule {
  id: ID! graphId: ID name: String! description: String remediationInstructions: String serviceType: String
}
union IssueSourceRule = Control | CloudEventRule | CloudConfigurationRule

type EntitySnapshot {
  id: ID! type: String nativeType: String name: String status: String cloudPlatform: String
  cloudProviderURL: String providerId: String region: String resourceGroupExternalId: String
  subscriptionExternalId: String subscriptionName: String subscriptionTags: JSON tags: JSON externalId: String
}
type ServiceTicket { externalId: String name: String url: String }
type User { id: ID name: String email: String }
type ServiceAccount { id: ID name: String }
type IssueNote {
  id: ID! createdAt: DateTime! updatedAt: DateTime text: String! user: User serviceAccount: ServiceAccount
}

type Issue {
  id: ID!
  sourceRule: IssueSourceRule
  type: IssueType!
  createdAt: DateTime!
  updatedAt: DateTime
  dueAt: DateTime
  resolvedAt: DateTime
  statusChangedAt: DateTime
  status: IssueStatus!
  severity: Severity!
  resolutionReason: IssueResolutionReason
  projects: [Project!]
  entitySnapshot: EntitySnapshot
  serviceTickets: [ServiceTicket!]
  notes: [IssueNote!]
}
type IssueConnection { nodes: [Issue!]! pageInfo: PageInfo! totalCount: Int! }

interface VulnerableAssetBase {
  id: ID! type: String name: String region: String providerUniqueId: String cloudProviderURL: String
  cloudPlatform: String status: String subscriptionName: String subscriptionExternalId: String
  subscriptionId: String tags: JSON hasLimitedInternetExposure: Boolean hasWideInternetExposure: Boolean
}
type VulnerableAssetVirtualMachine implements VulnerableAssetBase {
  id: ID! type: String name: String region: String providerUniqueId: String cloudProviderURL: String
  cloudPlatform: String status: String subscriptionName: String subscriptionExternalId: String
  subscriptionId: String tags: JSON hasLimitedInternetExposure: Boolean hasWideInternetExposure: Boolean
  operatingSystem: String ipAddresses: [String!] hostname: String
}
type VulnerableAssetServerless implements VulnerableAssetBase {
  id: ID! type: String name: String region: String providerUniqueId: String cloudProviderURL: String
  cloudPlatform: String status: String subscriptionName: String subscriptionExternalId: String
  subscriptionId: String tags: JSON hasLimitedInternetExposure: Boolean hasWideInternetExposure: Boolean
  runtime: String
}
type VulnerableAssetContainerImage implements VulnerableAssetBase {
  id: ID! type: String name: String region: String providerUniqueId: String cloudProviderURL: String
  cloudPlatform: String status: String subscriptionName: String subscriptionExternalId: String
  subscriptionId: String tags: JSON hasLimitedInternetExposure: Boolean hasWideInternetExposure: Boolean
  imageId: String
}
type VulnerableAssetContainer implements VulnerableAssetBase {
  id: ID! type: String name: String region: String providerUniqueId: String cloudProviderURL: String
  cloudPlatform: String status: String subscriptionName: String subscriptionExternalId: String
  subscriptionId: String tags: JSON hasLimitedInternetExposure: Boolean hasWideInternetExposure: Boolean
  ImageExternalId: String VmExternalId: String ServerlessContainer: Boolean PodNamespace: String PodName: String
  NodeName: String
}
union VulnerableAsset =
  VulnerableAssetVirtualMachine | VulnerableAssetServerless | VulnerableAssetContainerImage | VulnerableAssetContainer

type VulnerabilityFinding {
  id: ID! portalUrl: String name: String! CVEDescription: String CVSSSeverity: Severity score: Float
  exploitabilityScore: Float impactScore: Float hasExploit: Boolean hasCisaKevExploit: Boolean
  status: VulnerabilityFindingStatus! vendorSeverity: Severity firstDetectedAt: DateTime lastDetectedAt: DateTime
  resolvedAt: DateTime description: String remediation: String detailedName: String version: String
  fixedVersion: String detectionMethod: String link: String locationPath: String resolutionReason: String
  epssSeverity: Severity epssPercentile: Float epssProbability: Float
  projects: [Project!] vulnerableAsset: VulnerableAsset
}
type VulnerabilityFindingConnection { nodes: [VulnerabilityFinding!]! pageInfo: PageInfo! totalCount: Int! }

type Subscription { id: ID! name: String externalId: String cloudProvider: String }
type ConfigurationResource {
  id: ID! name: String type: String nativeType: String region: String providerId: String
  subscription: Subscription projects: [Project!]
}
type ConfigurationFinding {
  id: ID! firstSeenAt: DateTime! analyzedAt: DateTime severity: Severity! result: CloudConfigurationRuleResult!
  status: String remediation: String resource: ConfigurationResource rule: CloudConfigurationRule
}
type ConfigurationFindingConnection { nodes: [ConfigurationFinding!]! pageInfo: PageInfo! totalCount: Int! }

type Query {
  issuesV2(filterBy: IssueFilters, first: Int, after: String, orderBy: IssueOrder): IssueConnection!
  vulnerabilityFindings(
    filterBy: VulnerabilityFindingFilters, first: Int, after: String, orderBy: VulnerabilityFindingOrder
  ): VulnerabilityFindingConnection!
  configurationFindings(
    filterBy: ConfigurationFindingFilters, first: Int, after: String, orderBy: ConfigurationFindingOrder
  ): ConfigurationFindingConnection!
}

input UpdateIssuePatch {
  status: IssueStatus note: String resolutionReason: IssueResolutionReason dueAt: DateTime
}
input UpdateIssueInput { id: ID! patch: UpdateIssuePatch override: UpdateIssuePatch }
type UpdateIssuePayload { issue: Issue }
input CreateIssueNoteInput { issueId: ID! text: String! }
type CreateIssueNotePayload { issueNote: IssueNote }

type Mutation {
  updateIssue(input: UpdateIssueInput!): UpdateIssuePayload
  createIssueNote(input: CreateIssueNoteInput!): CreateIssueNotePayload
}
`;
