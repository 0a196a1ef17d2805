import { createHash, createPrivateKey, sign as rsaSign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import * as asn1js from 'asn1js';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate } from '@peculiar/asn1-x509';
import {
  Attribute,
  CertificateChoices,
  CertificateSet,
  ContentInfo,
  DigestAlgorithmIdentifiers,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
  id_data,
  id_signedData,
} from '@peculiar/asn1-cms';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';

/**
 * PAdES baseline B-B signatures (ETSI EN 319 142-1) of the PDF records, with the PKCS#12
 * certificate an administrator configured: the PDF gets an ETSI.CAdES.detached signature field
 * (@signpdf places it and fills /ByteRange and /Contents) whose CMS SignedData carries the
 * content-type, message-digest and signing-certificate-v2 attributes and no signing-time (the
 * time is the signature dictionary's /M, the record's own issue time, so signing is reproducible).
 */

const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
/** id-aa-signingCertificateV2 (RFC 5035), required by CAdES/PAdES baseline signatures. */
const OID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';

/** Room for the CMS in /Contents: a 4096-bit key and a chain of a few certificates fit. */
const SIGNATURE_BYTES = 12_288;

/** Why a PKCS#12 file cannot sign, in Spanish, for the administrator who uploaded it. */
export class CertificateProblem extends Error {
  constructor(
    message: string,
    readonly field: 'content' | 'passphrase',
  ) {
    super(message);
  }
}

/** What pages and documents show of a certificate (never the key nor the passphrase). */
export interface CertificateSummary {
  subject: string;
  /** The subject's common name (or the whole subject when it has none), for the document's statement. */
  subjectName: string;
  issuer: string;
  issuerName: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the certificate's DER, as administrators compare it with the CA's. */
  fingerprintSha256: string;
}

export interface SigningCredentials {
  privateKey: KeyObject;
  /** DER of the signer's certificate, then the rest of the chain found in the file. */
  certificateDer: Buffer;
  chainDer: Buffer[];
  summary: CertificateSummary;
}

const derOf = (certificate: forge.pki.Certificate) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary');

/** forge reads a UTF8String's bytes without decoding them (most CAs write names as UTF8String). */
function attributeText(attribute: forge.pki.CertificateField): string {
  const value = String(attribute.value);
  if ((attribute.valueTagClass as unknown) !== forge.asn1.Type.UTF8) return value;
  try {
    return forge.util.decodeUtf8(value);
  } catch {
    return value;
  }
}
const distinguishedName = (attributes: forge.pki.CertificateField[]) => attributes.map((a) => `${a.shortName ?? a.name ?? a.type}=${attributeText(a)}`).join(', ');
const commonName = (attributes: forge.pki.CertificateField[]) => {
  const cn = attributes.find((a) => a.shortName === 'CN');
  return cn ? attributeText(cn) : undefined;
};

function summarize(certificate: forge.pki.Certificate): CertificateSummary {
  const der = derOf(certificate);
  const subject = distinguishedName(certificate.subject.attributes);
  const issuer = distinguishedName(certificate.issuer.attributes);
  return {
    subject,
    subjectName: commonName(certificate.subject.attributes) ?? subject,
    issuer,
    issuerName: commonName(certificate.issuer.attributes) ?? issuer,
    serialNumber: certificate.serialNumber.toUpperCase(),
    notBefore: certificate.validity.notBefore.toISOString(),
    notAfter: certificate.validity.notAfter.toISOString(),
    fingerprintSha256: createHash('sha256').update(der).digest('hex'),
  };
}

/**
 * Opens a .p12/.pfx with its passphrase: the private key and the certificate that matches it
 * (with the rest of the chain). Refusals say what is wrong, in Spanish; nothing is logged.
 */
export function openPkcs12(content: Buffer, passphrase: string): SigningCredentials {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(content.toString('binary')));
  } catch {
    throw new CertificateProblem('el archivo no es un certificado PKCS#12 (.p12 o .pfx)', 'content');
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/password|mac could not be verified|decrypt/i.test(message)) {
      throw new CertificateProblem('la contraseña no abre el certificado; revísela (distingue mayúsculas y minúsculas)', 'passphrase');
    }
    throw new CertificateProblem('el archivo no es un certificado PKCS#12 (.p12 o .pfx) que se pueda leer', 'content');
  }
  const bags = (type: string) => p12.getBags({ bagType: type })[type] ?? [];
  const keyBag = [...bags(forge.pki.oids.pkcs8ShroudedKeyBag!), ...bags(forge.pki.oids.keyBag!)].find((bag) => bag.key);
  const certificates = bags(forge.pki.oids.certBag!).flatMap((bag) => (bag.cert ? [bag.cert] : []));
  if (!keyBag?.key) {
    throw new CertificateProblem('el archivo no contiene una clave privada RSA (se necesita el certificado de firma con su clave, no solo el certificado público)', 'content');
  }
  const key = keyBag.key as forge.pki.rsa.PrivateKey;
  const signer = certificates.find((c) => {
    const publicKey = c.publicKey as forge.pki.rsa.PublicKey;
    return publicKey.n?.equals(key.n) && publicKey.e?.equals(key.e);
  });
  if (!signer) throw new CertificateProblem('el archivo no contiene el certificado de la clave privada', 'content');
  const usage = signer.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean } | null;
  if (usage && !usage.digitalSignature && !usage.nonRepudiation) {
    throw new CertificateProblem('el certificado no está autorizado para firmar (su uso de clave no incluye la firma digital)', 'content');
  }
  return {
    privateKey: createPrivateKey(forge.pki.privateKeyToPem(key)),
    certificateDer: derOf(signer),
    chainDer: certificates.filter((c) => c !== signer).map(derOf),
    summary: summarize(signer),
  };
}

const toArrayBuffer = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

/** DER of a SET OF already-encoded elements, sorted as DER requires (X.690 11.6). */
function derSetOf(elements: Buffer[]): Buffer {
  const body = Buffer.concat([...elements].sort(Buffer.compare));
  const length =
    body.length < 0x80
      ? Buffer.from([body.length])
      : (() => {
          const bytes: number[] = [];
          for (let n = body.length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
          return Buffer.from([0x80 | bytes.length, ...bytes]);
        })();
  return Buffer.concat([Buffer.from([0x31]), length, body]);
}

/** The detached CMS SignedData (CAdES-B-B) of `content`, signed with RSA PKCS#1 v1.5 and SHA-256. */
export function cadesDetachedSignature(content: Buffer, credentials: SigningCredentials): Buffer {
  const certificate = AsnConvert.parse(credentials.certificateDer, Certificate);
  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();
  const attribute = (type: string, value: asn1js.BaseBlock) => new Attribute({ attrType: type, attrValues: [toArrayBuffer(new Uint8Array(value.toBER()))] });
  const signingCertificateV2 = new asn1js.Sequence({
    // certs: one ESSCertIDv2 with the default hash (SHA-256), so hashAlgorithm is omitted.
    value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: toArrayBuffer(sha256(credentials.certificateDer)) })] })] })],
  });
  const attributes = [
    attribute(OID_CONTENT_TYPE, new asn1js.ObjectIdentifier({ value: id_data })),
    attribute(OID_MESSAGE_DIGEST, new asn1js.OctetString({ valueHex: toArrayBuffer(sha256(content)) })),
    attribute(OID_SIGNING_CERTIFICATE_V2, signingCertificateV2),
  ];
  const encoded = attributes.map((a) => Buffer.from(AsnConvert.serialize(a)));
  const order = encoded.map((bytes, i) => ({ bytes, i })).sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  // The signature covers the attributes' DER as a SET OF (RFC 5652 5.4).
  const signature = rsaSign('sha256', derSetOf(encoded), credentials.privateKey);

  const signerInfo = new SignerInfo({
    version: 1,
    sid: new SignerIdentifier({
      issuerAndSerialNumber: new IssuerAndSerialNumber({ issuer: certificate.tbsCertificate.issuer, serialNumber: certificate.tbsCertificate.serialNumber }),
    }),
    digestAlgorithm: new AlgorithmIdentifier({ algorithm: OID_SHA256 }),
    signedAttrs: order.map(({ i }) => attributes[i]!),
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: OID_RSA_ENCRYPTION, parameters: null }),
    signature: new OctetString(toArrayBuffer(signature)),
  });
  const signedData = new SignedData({
    version: 1,
    digestAlgorithms: new DigestAlgorithmIdentifiers([new AlgorithmIdentifier({ algorithm: OID_SHA256 })]),
    encapContentInfo: new EncapsulatedContentInfo({ eContentType: id_data }),
    certificates: new CertificateSet([credentials.certificateDer, ...credentials.chainDer].map((der) => new CertificateChoices({ certificate: AsnConvert.parse(der, Certificate) }))),
    signerInfos: new SignerInfos([signerInfo]),
  });
  const contentInfo = new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signedData) });
  return Buffer.from(AsnConvert.serialize(contentInfo));
}

/** @signpdf's seam: it hands over the bytes the /ByteRange covers. */
class CadesSigner extends Signer {
  constructor(private readonly credentials: SigningCredentials) {
    super();
  }
  override async sign(covered: Buffer): Promise<Buffer> {
    return cadesDetachedSignature(covered, this.credentials);
  }
}

/**
 * @signpdf/placeholder-plain writes text strings as UTF-8 bytes of a UTF-16 string, which readers
 * show garbled: the dictionary's texts go without diacritics (the certificate keeps the exact name).
 */
const pdfAscii = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');

/**
 * Signs a PDF (an incremental update adding an invisible signature field on the first page).
 * `signingTime` is the record's issue time: the same PDF and certificate give the same bytes.
 */
export async function signPdf(pdf: Buffer, credentials: SigningCredentials, options: { signingTime: Date; reason: string; location: string }): Promise<Buffer> {
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: pdfAscii(options.reason),
    contactInfo: '',
    name: pdfAscii(credentials.summary.subjectName),
    location: pdfAscii(options.location),
    signingTime: options.signingTime,
    signatureLength: SIGNATURE_BYTES,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'MetasPDM',
  });
  return new SignPdf().sign(withPlaceholder, new CadesSigner(credentials), options.signingTime);
}
