// Deployed into the media nodes' resource group: the allocator (function app identity) creates,
// drains and deletes container groups there, so it is Contributor on that group and nothing wider.

@description('Function app resource id (names the assignment, so it is known before deployment).')
param functionAppId string

@description('Function app (system-assigned identity) principal id.')
param functionAppPrincipalId string

var contributorRoleId = 'b24988ac-6180-42a0-ab88-20f7382dd24c'

resource allocatorIsContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, functionAppId, contributorRoleId)
  properties: {
    principalId: functionAppPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributorRoleId)
  }
}
