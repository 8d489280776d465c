// Role assignments inside the platform's resource group: the function app's identity reaches
// storage (queues, tables, blobs), Key Vault secrets and Application Insights; the media nodes'
// identity reaches storage; the function app may hand the nodes' identity to the containers it creates.

@description('Function app resource id (names the assignments, so they are known before deployment).')
param functionAppId string

@description('Function app (system-assigned identity) principal id.')
param functionAppPrincipalId string

@description('Media nodes (user-assigned identity) principal id.')
param nodePrincipalId string

@description('Media nodes identity name (the function app may assign it to container groups).')
param nodeIdentityName string

@description('Storage account name.')
param storageAccountName string

@description('Key Vault name.')
param keyVaultName string

@description('Application Insights component name.')
param appInsightsName string

// Built-in role definition ids (stable across clouds and tenants).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  managedIdentityOperator: 'f1a07417-d97a-45cb-824c-7a7467783830'
}

// The Functions host keeps leases and the deployment package in blobs: it needs Blob Data Owner.
var functionAppStorageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

var nodeStorageRoles = [
  roles.storageBlobDataContributor
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource nodeIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: nodeIdentityName
}

resource functionAppOnStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in functionAppStorageRoles: {
    name: guid(storage.id, functionAppId, role)
    scope: storage
    properties: {
      principalId: functionAppPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

resource nodesOnStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in nodeStorageRoles: {
    name: guid(storage.id, nodeIdentity.id, role)
    scope: storage
    properties: {
      principalId: nodePrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

resource functionAppOnSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, functionAppId, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: functionAppPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

// Trunk credentials live in the same vault; the nodes read them when they register with trunks.
resource nodesOnSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, nodeIdentity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: nodePrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource functionAppOnTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, functionAppId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: functionAppPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource nodesOnTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, nodeIdentity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: nodePrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

// The allocator creates container groups that run as the nodes' identity.
resource functionAppAssignsNodeIdentity 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(nodeIdentity.id, functionAppId, roles.managedIdentityOperator)
  scope: nodeIdentity
  properties: {
    principalId: functionAppPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.managedIdentityOperator)
  }
}
