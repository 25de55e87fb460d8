import { createHash, randomInt } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Clock } from '../clock';
import { isDuplicateKeyError, TooManyRequestsError } from '../errors';
import { newId } from '../ids';
import type { SmsProvider } from '../sms';
import type { User, UserService } from '../users';
import { WrongCodeError } from './errors';
import { accountModels, type SmsCodeDoc } from './model';

export const SMS_CODE_MINUTES = 5;
export const SMS_CODE_MAX_WRONG = 5;
export const SMS_RESEND_SECONDS = 60;

type Purpose = SmsCodeDoc['purpose'];

const hashCode = (codeId: string, code: string) =>
  createHash('sha256').update(`${codeId}:${code}`).digest('base64url');

/**
 * Six-digit codes by SMS, for logging in with a phone and for verifying a new number. A code lives five
 * minutes, five wrong tries lock it, one number gets at most one code a minute. Every limit is a unique
 * insert (ARCHITECTURE.md, FerretDB rules): `throttle:<purpose>:<phone>:<minute>`, `<codeId>:try:<n>`,
 * `<codeId>:used`.
 */
export function createPhoneCodes(deps: {
  connection: Connection;
  users: UserService;
  sms: SmsProvider;
  clock: Clock;
}) {
  const { SmsCodes, SmsMarks } = accountModels(deps.connection);
  const now = deps.clock;

  async function mark(id: string, codeId = ''): Promise<boolean> {
    try {
      await SmsMarks.create({ _id: id, codeId, at: now() });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** One code per number and purpose per minute: this minute's mark, and none left by the last one. */
  async function throttle(purpose: Purpose, phone: string): Promise<void> {
    const minute = Math.floor(now().getTime() / (SMS_RESEND_SECONDS * 1000));
    const key = (m: number) => `throttle:${purpose}:${phone}:${m}`;
    const refuse = (sinceMs: number) => {
      const wait = Math.max(1, Math.ceil((SMS_RESEND_SECONDS * 1000 - sinceMs) / 1000));
      return new TooManyRequestsError(`A code was sent a moment ago; ask again in ${wait} s`, wait);
    };
    if (!(await mark(key(minute)))) {
      const mine = await SmsMarks.findById(key(minute)).lean();
      throw refuse(mine ? now().getTime() - mine.at.getTime() : 0);
    }
    const previous = await SmsMarks.findById(key(minute - 1)).lean();
    if (previous && now().getTime() - previous.at.getTime() < SMS_RESEND_SECONDS * 1000) {
      await SmsMarks.deleteOne({ _id: key(minute) });
      throw refuse(now().getTime() - previous.at.getTime());
    }
  }

  async function send(purpose: Purpose, phone: string, userId: string, locale: User['locale']) {
    await throttle(purpose, phone);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const codeId = newId('code');
    const createdAt = now();
    await SmsCodes.create({
      _id: codeId,
      phone,
      purpose,
      userId,
      codeHash: hashCode(codeId, code),
      expiresAt: new Date(createdAt.getTime() + SMS_CODE_MINUTES * 60_000),
      createdAt,
    });
    // The newest code for the number is the one that counts; an earlier one stops working.
    await SmsMarks.updateOne(
      { _id: `${purpose}:${phone}` },
      { $set: { codeId, at: createdAt } },
      { upsert: true },
    );
    const text =
      locale === 'en'
        ? `[Bazaar] Your code is ${code}. It works for ${SMS_CODE_MINUTES} minutes. Never share it.`
        : `【集市】您的验证码是 ${code}，${SMS_CODE_MINUTES} 分钟内有效，请勿告诉他人。`;
    // The provider's key is the code id: a retried send is the same message.
    await deps.sms.send({ to: phone, text, key: codeId });
  }

  /** Checks a code; on success it is used up and its account id returned. */
  async function check(purpose: Purpose, phone: string, code: string): Promise<string> {
    const pointer = await SmsMarks.findById(`${purpose}:${phone}`).lean();
    const doc = pointer && (await SmsCodes.findById(pointer.codeId).lean<SmsCodeDoc>());
    if (!doc || doc.expiresAt <= now()) throw new WrongCodeError(false);
    if (await SmsMarks.exists({ _id: `${doc._id}:try:${SMS_CODE_MAX_WRONG}` }))
      throw new WrongCodeError(true);
    if (hashCode(doc._id, code) !== doc.codeHash) {
      // The first free try slot; a guess that finds all five taken is refused as locked.
      for (let n = 1; n <= SMS_CODE_MAX_WRONG; n++)
        if (await mark(`${doc._id}:try:${n}`, doc._id)) throw new WrongCodeError(n === SMS_CODE_MAX_WRONG);
      throw new WrongCodeError(true);
    }
    if (!(await mark(`${doc._id}:used`, doc._id))) throw new WrongCodeError(false);
    return doc.userId;
  }

  return {
    /**
     * Texts a login code to the number if it is an account's login phone. Unknown numbers get no text
     * and the same answer, so the endpoint does not tell which numbers have accounts.
     */
    async requestLoginCode(phone: string): Promise<void> {
      const user = await deps.users.findByPhone(phone);
      if (!user) {
        await throttle('login', phone);
        return;
      }
      await send('login', phone, user.id, user.locale);
    },

    /** The account a correct login code opens. */
    async loginWithCode(phone: string, code: string): Promise<User> {
      const userId = await check('login', phone, code);
      const user = await deps.users.getUser(userId);
      if (!user || user.phone !== phone) throw new WrongCodeError(false);
      return user;
    },

    /** Texts a code to a number someone wants as their login phone. */
    async requestPhoneVerification(user: User, phone: string): Promise<void> {
      await send('verify_phone', phone, user.id, user.locale);
    },

    /** Sets the phone once its code is right (and no other account holds the number). */
    async confirmPhone(user: User, phone: string, code: string): Promise<User> {
      const userId = await check('verify_phone', phone, code);
      if (userId !== user.id) throw new WrongCodeError(false);
      return deps.users.setPhone(user.id, phone, now());
    },

    /**
     * Account erasure: the person's codes, their pointers and try marks, and the resend marks of every
     * number a code went to (their ids hold the number). Can run again.
     */
    async eraseFor(userId: string): Promise<void> {
      const codes = await SmsCodes.find({ userId }, { _id: 1, phone: 1 }).lean<
        Pick<SmsCodeDoc, '_id' | 'phone'>[]
      >();
      if (!codes.length) return;
      await SmsMarks.deleteMany({ codeId: { $in: codes.map((c) => c._id) } });
      for (const phone of new Set(codes.map((c) => c.phone))) {
        const escaped = phone.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        await SmsMarks.deleteMany({ _id: { $regex: `^throttle:[a-z_]+:${escaped}:` } });
      }
      await SmsCodes.deleteMany({ userId });
    },

    /** Deletes codes and marks older than a day (no TTL indexes on FerretDB). */
    async pruneOld(): Promise<number> {
      const before = new Date(now().getTime() - 86_400_000);
      const codes = await SmsCodes.deleteMany({ expiresAt: { $lte: before } });
      const marks = await SmsMarks.deleteMany({ at: { $lte: before } });
      return codes.deletedCount + marks.deletedCount;
    },
  };
}
