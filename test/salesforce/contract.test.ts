import { describeCrmContract } from '../contract/describe-crm-contract.ts';
import { salesforceAdapter } from '../contract/salesforce-adapter.ts';

describeCrmContract(salesforceAdapter);
