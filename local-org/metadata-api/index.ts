/**
 * SOAP Metadata API of the local org (`/services/Soap/m/<version>`): deploy / checkDeployStatus /
 * cancelDeploy, retrieve / checkRetrieveStatus, listMetadata, readMetadata, describeMetadata — the
 * envelopes jsforce and SDR send, answered with the real response elements and faults.
 * The server has already checked the session id against the org's tokens before calling in.
 */
import type { LocalOrgContext } from '../context.ts';
import { cancelDeploy, checkDeployStatus, startDeploy } from './deploy.ts';
import { checkRetrieveStatus, startRetrieve } from './retrieve.ts';
import { describeMetadata, listMetadata, readMetadata } from './describe.ts';
import { checkStatus } from './jobs.ts';
import { parseSoapRequest, soapFaultResponse, soapRawResponse, soapResponse, SoapFault } from './soap.ts';

export async function handleMetadataApi(org: LocalOrgContext, apiVersion: string, body: string): Promise<{ statusCode: number; body: string }> {
  try {
    const request = parseSoapRequest(body);
    const { operation, args } = request;
    switch (operation) {
      case 'deploy':
        return soapResponse(operation, startDeploy(org, apiVersion, args));
      case 'checkDeployStatus':
        return soapResponse(operation, checkDeployStatus(org, args));
      case 'checkStatus':
        return soapResponse(operation, checkStatus(org, args));
      case 'cancelDeploy':
        return soapResponse(operation, cancelDeploy(org, args));
      case 'retrieve':
        return soapResponse(operation, startRetrieve(org, apiVersion, args));
      case 'checkRetrieveStatus':
        return soapResponse(operation, checkRetrieveStatus(org, args));
      case 'listMetadata':
        return soapResponse(operation, listMetadata(org, args));
      case 'readMetadata':
        return soapRawResponse(operation, readMetadata(org, apiVersion, args));
      case 'describeMetadata':
        return soapResponse(operation, describeMetadata(org));
      default:
        throw new SoapFault('INVALID_OPERATION', `The local org's Metadata API does not support the operation ${operation}`);
    }
  } catch (error) {
    if (error instanceof SoapFault) return soapFaultResponse(error.code, error.message);
    return soapFaultResponse('UNKNOWN_EXCEPTION', `An unexpected error occurred: ${(error as Error).message}`);
  }
}
