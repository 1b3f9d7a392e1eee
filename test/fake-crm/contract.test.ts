import { describeCrmContract } from '../contract/describe-crm-contract.ts';
import { memoryAdapter } from '../contract/memory-adapter.ts';

// The third CRM, registered from the test folder, passes the same contract as HubSpot and Salesforce.
describeCrmContract(memoryAdapter);
