/**
 * SOAP Metadata API of the local org (`/services/Soap/m/<version>`). Placeholder until the
 * Metadata API lands: answers every call with a SOAP fault so clients fail clearly.
 */
import type { LocalOrgContext } from '../context.ts';

export async function handleMetadataApi(
  org: LocalOrgContext,
  apiVersion: string,
  body: string,
): Promise<{ statusCode: number; body: string }> {
  void org;
  void body;
  return {
    statusCode: 500,
    body:
      '<?xml version="1.0" encoding="UTF-8"?>' +
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="http://soap.sforce.com/2006/04/metadata">' +
      '<soapenv:Body><soapenv:Fault><faultcode>sf:UNKNOWN_EXCEPTION</faultcode>' +
      `<faultstring>UNKNOWN_EXCEPTION: the local org's Metadata API (v${apiVersion}) is not implemented yet</faultstring>` +
      '</soapenv:Fault></soapenv:Body></soapenv:Envelope>',
  };
}
