import { describeCrmContract } from '../contract/describe-crm-contract.ts';
import { hubspotAdapter } from '../contract/hubspot-adapter.ts';

describeCrmContract(hubspotAdapter);
