// Telephony.Serverless in one resource group: storage, the Flex Consumption function app (custom
// handler), monitoring, Key Vault, the media nodes' identity and every role assignment. The media
// nodes themselves are container groups the allocator creates in a separate resource group.
//
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.bicepparam
//
// App settings below are exactly the configuration keys the programs read (docs/OPERATIONS.md).

targetScope = 'resourceGroup'

@description('Azure region for every resource (Flex Consumption must be available there).')
param location string = resourceGroup().location

@description('Short lowercase prefix (letters and digits) for resource names.')
@minLength(2)
@maxLength(8)
param namePrefix string = 'tel'

@description('Tags applied to every resource.')
param tags object = {}

@description('Operator admin key (Telephony:AdminKey), at least 32 characters; stored in Key Vault.')
@secure()
@minLength(32)
param adminKey string

@description('Key media nodes present to the functions\' node endpoints (Telephony:NodeKey), at least 32 characters; stored in Key Vault.')
@secure()
@minLength(32)
param nodeKey string

@description('Platform key sealing API key secrets so AccessTokens can be verified (Telephony:SecretsKey), at least 32 characters; stored in Key Vault. Never change it without re-creating API keys.')
@secure()
@minLength(32)
param secretsKey string

@description('Storage redundancy.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param storageSku string = 'Standard_LRS'

@description('Days to keep logs in Log Analytics.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

// Function app scale (Flex Consumption).

@description('Most function app instances (all functions together).')
@minValue(1)
@maxValue(1000)
param functionMaximumInstanceCount int = 40

@description('Memory per function app instance in MB.')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Concurrent HTTP invocations per function app instance.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 16

@description('Always-ready instances for the HTTP functions. instructions and media are HTTP functions, which Flex Consumption scales together as the `http` group, so this keeps them (and api) warm.')
@minValue(0)
@maxValue(20)
param httpAlwaysReadyInstances int = 1

@description('Extra always-ready entries for queue or timer functions, e.g. [{ name: \'function:admit-calls\', instanceCount: 1 }].')
param extraAlwaysReady { name: string, instanceCount: int }[] = []

// REST API limits (Telephony:Api).

@description('Sustained API requests per second per account, per instance (Telephony:Api:RequestsPerSecond).')
@minValue(1)
param apiRequestsPerSecond int = 100

@description('API burst per account, per instance (Telephony:Api:Burst).')
@minValue(1)
param apiBurst int = 200

// Media nodes (container groups created by the allocator).

@description('Existing resource group the allocator creates media-node container groups in.')
param nodeResourceGroupName string

@description('Media node container image, e.g. myregistry.azurecr.io/telephony-media-node:1.0.0.')
param nodeImage string

@description('Name of an Azure Container Registry in this resource group that holds the node image; the node identity gets AcrPull on it. Empty when the image is pulled from elsewhere.')
param nodeImageRegistryName string = ''

@description('CPU cores per media node.')
@minValue(1)
@maxValue(4)
param nodeCpuCores int = 2

@description('Memory per media node in GB.')
@minValue(1)
@maxValue(16)
param nodeMemoryGb int = 2

@description('SIP port (UDP and TCP) each media node listens on.')
@minValue(1)
@maxValue(65535)
param nodeSipPort int = 5060

@description('First RTP port of each media node.')
@minValue(1024)
@maxValue(65534)
param nodeRtpPortMin int = 20000

@description('Last RTP port of each media node (two ports per call leg: RTP and RTCP).')
@minValue(1025)
@maxValue(65535)
param nodeRtpPortMax int = 20199

@description('Concurrent calls one media node accepts.')
@minValue(1)
param nodeMaxConcurrentCalls int = 50

@description('Media nodes kept running with no traffic.')
@minValue(0)
param nodeMinCount int = 1

@description('Most media nodes the allocator may run.')
@minValue(1)
param nodeMaxCount int = 10

var suffix = uniqueString(resourceGroup().id)
var prefix = toLower(namePrefix)
var names = {
  storage: take('${prefix}st${suffix}', 24)
  keyVault: take('${prefix}-kv-${suffix}', 24)
  workspace: '${prefix}-logs-${suffix}'
  appInsights: '${prefix}-ai-${suffix}'
  plan: '${prefix}-plan-${suffix}'
  functionApp: '${prefix}-func-${suffix}'
  nodeIdentity: '${prefix}-nodes-${suffix}'
}

// Storage names the programs use (Telephony.Core QueueNames and TableNames; a test keeps them in step).
// The per-tenant dispatch queues (dispatch-<account sid>) are created at runtime by admit-calls.
var queueNames = [
  'call-requests'
  'callbacks'
]
var tableNames = [
  'accounts'
  'apikeys'
  'calls'
  'nodes'
  'nodecalls'
  'applications'
  'presence'
  'phonenumbers'
  'numberdirectory'
  'recordings'
  'notifications'
  'admission'
  'capacityplans'
  'callbackprogress'
  'callbatches'
]
var deploymentContainerName = 'app-package'
var functionAppId = resourceId('Microsoft.Web/sites', names.functionApp)
var adminKeySecretName = 'admin-key'
var nodeKeySecretName = 'node-key'
var secretsKeySecretName = 'secrets-key'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    retentionInDays: logRetentionDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    name: names.storage
    skuName: storageSku
    queueNames: queueNames
    tableNames: tableNames
    deploymentContainerName: deploymentContainerName
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    location: location
    tags: tags
    name: names.keyVault
    adminKeySecretName: adminKeySecretName
    adminKey: adminKey
    nodeKeySecretName: nodeKeySecretName
    nodeKey: nodeKey
    secretsKeySecretName: secretsKeySecretName
    secretsKey: secretsKey
  }
}

resource nodeIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: names.nodeIdentity
  location: location
  tags: tags
}

resource nodeImageRegistry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = if (!empty(nodeImageRegistryName)) {
  name: nodeImageRegistryName
}

// Container groups pull the node image with the node identity (imageRegistryCredentials.identity).
resource nodesPullImages 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(nodeImageRegistryName)) {
  name: guid(resourceGroup().id, nodeImageRegistryName, nodeIdentity.id, 'AcrPull')
  scope: nodeImageRegistry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')
    principalId: nodeIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Read by the Functions host: identity-based AzureWebJobsStorage and Entra-authenticated telemetry.
var hostSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
  AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
  AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
}

// Read by functions/Telephony.Functions today.
var programSettings = {
  Telephony__HostMode: 'FunctionsHost'
  Telephony__AdminKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.vaultUri}secrets/${adminKeySecretName}/)'
  Telephony__NodeKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.vaultUri}secrets/${nodeKeySecretName}/)'
  Telephony__SecretsKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.vaultUri}secrets/${secretsKeySecretName}/)'
  Telephony__Api__RequestsPerSecond: string(apiRequestsPerSecond)
  Telephony__Api__Burst: string(apiBurst)
}

// For the allocator (allocate-nodes with the Azure Container Instances provisioner).
var nodeSettings = {
  Telephony__Capacity__Provisioner: 'ContainerInstances'
  Telephony__Nodes__SubscriptionId: subscription().subscriptionId
  Telephony__Nodes__ResourceGroup: nodeResourceGroupName
  Telephony__Nodes__Location: location
  Telephony__Nodes__Image: nodeImage
  Telephony__Nodes__CpuCores: string(nodeCpuCores)
  Telephony__Nodes__MemoryGb: string(nodeMemoryGb)
  Telephony__Nodes__SipPort: string(nodeSipPort)
  Telephony__Nodes__RtpPortMin: string(nodeRtpPortMin)
  Telephony__Nodes__RtpPortMax: string(nodeRtpPortMax)
  Telephony__Nodes__MaxConcurrentCalls: string(nodeMaxConcurrentCalls)
  Telephony__Capacity__MinNodes: string(nodeMinCount)
  Telephony__Capacity__MaxNodes: string(nodeMaxCount)
  Telephony__Nodes__IdentityResourceId: nodeIdentity.id
  Telephony__Nodes__IdentityClientId: nodeIdentity.properties.clientId
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    location: location
    tags: tags
    planName: names.plan
    appName: names.functionApp
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appSettings: union(hostSettings, programSettings, nodeSettings)
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
    alwaysReady: concat(
      httpAlwaysReadyInstances > 0 ? [{ name: 'http', instanceCount: httpAlwaysReadyInstances }] : [],
      extraAlwaysReady
    )
  }
}

// Names come from variables (known before deployment, so what-if stays precise); the function app's
// outputs already order this after storage, Key Vault and monitoring.
module roleAssignments 'modules/role-assignments.bicep' = {
  name: 'role-assignments'
  params: {
    functionAppId: functionAppId
    functionAppPrincipalId: functionApp.outputs.principalId
    nodePrincipalId: nodeIdentity.properties.principalId
    nodeIdentityName: nodeIdentity.name
    storageAccountName: names.storage
    keyVaultName: names.keyVault
    appInsightsName: names.appInsights
  }
}

module nodeResourceGroupAccess 'modules/node-resource-group-access.bicep' = {
  name: 'node-resource-group-access'
  scope: resourceGroup(nodeResourceGroupName)
  params: {
    functionAppId: functionAppId
    functionAppPrincipalId: functionApp.outputs.principalId
  }
}

@description('Base URL of the REST API (Twilio-compatible paths start with /2010-04-01).')
output apiBaseUrl string = 'https://${functionApp.outputs.defaultHostName}'

@description('Function app name, for `az functionapp deploy`.')
output functionAppName string = functionApp.outputs.name

@description('Storage account name.')
output storageAccountName string = storage.outputs.name

@description('Key Vault holding the admin key and trunk credentials.')
output keyVaultName string = keyVault.outputs.name

@description('Resource id of the identity media nodes run as.')
output nodeIdentityId string = nodeIdentity.id
