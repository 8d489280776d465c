// Example parameters. The keys come from the environment so they never land in a file:
//   export TELEPHONY_ADMIN_KEY=$(openssl rand -base64 36)
//   export TELEPHONY_NODE_KEY=$(openssl rand -base64 36)
//   export TELEPHONY_SECRETS_KEY=$(openssl rand -base64 36)   # keep it: API keys are sealed with it
using 'main.bicep'

param namePrefix = 'tel'
param adminKey = readEnvironmentVariable('TELEPHONY_ADMIN_KEY')
param nodeKey = readEnvironmentVariable('TELEPHONY_NODE_KEY')
param secretsKey = readEnvironmentVariable('TELEPHONY_SECRETS_KEY')
param nodeResourceGroupName = 'telephony-nodes'
param nodeImage = 'myregistry.azurecr.io/telephony-media-node:latest'
param nodeImageRegistryName = 'myregistry'
param nodeCpuCores = 2
param nodeMemoryGb = 2
param nodeMaxConcurrentCalls = 50
param nodeMinCount = 1
param nodeMaxCount = 10
param httpAlwaysReadyInstances = 1
