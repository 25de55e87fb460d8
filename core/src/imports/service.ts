import { createReadStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import type { Connection } from 'mongoose';
import type { Actor, CatalogService } from '../catalog';
import type { CategoryService } from '../categories';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import type { EventBus } from '../events';
import { newId } from '../ids';
import type { InventoryService } from '../inventory';
import type { JobContext, JobQueue } from '../jobs';
import { importErrorsCsv, importTemplate, templateCategory } from './csv-files';
import { importModel, type ImportDoc } from './model';
import { cleanRecord, ImportRowSchema, rowToProduct, rowToVariant, type ImportRow } from './rows';
import { IMPORT_COLUMNS, REQUIRED_COLUMNS, type ImportJob, type ImportRowError } from './types';
import { type Clock, systemClock } from '../clock';

export const IMPORT_JOB = 'catalog.import';
export const IMPORT_MAX_ATTEMPTS = 5;
const CHECKPOINT_EVERY = 50;
/** Rows applied at once; CHECKPOINT_EVERY is a multiple of it so checkpoints fall between batches. */
const APPLY_CONCURRENCY = 10;
const MAX_STORED_ERRORS = 1000;

function csvError(message: string): ValidationError {
  return new ValidationError([{ field: 'body', message }], message);
}

function toImportJob(doc: ImportDoc): ImportJob {
  return {
    id: doc._id,
    sellerId: doc.sellerId,
    shopId: doc.shopId,
    fileName: doc.fileName,
    status: doc.status,
    totalRows: doc.totalRows,
    processedRows: doc.processedRows,
    succeeded: doc.succeeded,
    failed: doc.failed,
    errors: (doc.rowErrors ?? []).map((e) => ({ line: e.line, field: e.field, message: e.message })),
    errorsTruncated: doc.errorsTruncated ?? false,
    createdAt: doc.createdAt.toISOString(),
    startedAt: doc.startedAt?.toISOString() ?? null,
    finishedAt: doc.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Seller CSV imports. The upload is stored and counted at once; a durable job applies the rows, saving a
 * checkpoint every few rows so a crashed or restarted worker resumes where it stopped. Applying a row
 * twice gives the same result (upsert by handle and SKU, stock set to the row's value).
 */
export function createImportService(deps: {
  connection: Connection;
  bus: EventBus;
  queue: JobQueue;
  catalog: CatalogService;
  inventory: InventoryService;
  categories: CategoryService;
  dataDir: string;
  /**
   * Resolves once this process's read models reflect the rows applied so far; awaited before the
   * import is reported complete, so the seller sees every imported product when the bar reaches 100%.
   */
  readModelsSettled?: () => Promise<void>;
  clock?: Clock;
}) {
  const Imports = importModel(deps.connection);
  const now = deps.clock ?? systemClock;
  const dir = path.join(deps.dataDir, 'imports');

  async function publishProgress(doc: ImportDoc) {
    await deps.bus.publish('import.progress', {
      importId: doc._id,
      sellerId: doc.sellerId,
      status: doc.status,
      totalRows: doc.totalRows,
      processedRows: doc.processedRows,
      succeeded: doc.succeeded,
      failed: doc.failed,
    });
  }

  async function applyRow(actor: Actor, row: ImportRow): Promise<void> {
    const category = await deps.categories.get(row.category);
    if (!category)
      throw new ValidationError([{ field: 'category', message: `unknown category "${row.category}"` }]);
    const owner = (productId: string) => ({ sku: row.sku, productId, sellerId: actor.id });
    const handle = row.handle || row.sku;
    let product = await deps.catalog.findByHandle(actor.shopId!, handle);
    if (!product) {
      product = await deps.catalog.createProduct(actor, rowToProduct(row, category.id));
    } else {
      const patch = rowToProduct(row, category.id);
      const changed =
        product.name !== patch.name ||
        product.nameZh !== patch.nameZh ||
        product.brand !== patch.brand ||
        product.categoryId !== patch.categoryId ||
        (patch.description !== '' && product.description !== patch.description);
      if (changed) {
        product = await deps.catalog.updateProduct(actor, product.id, {
          name: patch.name,
          nameZh: patch.nameZh,
          brand: patch.brand,
          categoryId: patch.categoryId,
          ...(patch.description && { description: patch.description }),
          ...(patch.descriptionZh && { descriptionZh: patch.descriptionZh }),
        });
      }
      const variant = product.variants.find((v) => v.sku === row.sku);
      const input = rowToVariant(row);
      if (!variant) {
        product = await deps.catalog.addVariant(actor, product.id, input);
      } else if (
        variant.price !== input.price ||
        variant.title !== input.title ||
        JSON.stringify(variant.attributes) !== JSON.stringify(input.attributes)
      ) {
        product = await deps.catalog.updateVariant(actor, product.id, row.sku, input);
      }
    }
    await deps.inventory.setStock(owner(product.id), row.stock ?? 0, actor.id, 'import');
  }

  function rowErrors(line: number, err: unknown): ImportRowError[] {
    if (err instanceof ValidationError || (err instanceof AppError && err.details.fields)) {
      return (err.details.fields ?? []).map((f) => ({
        line,
        field: f.field.replace(/^body\.(variants\.\d+\.)?/, ''),
        message: f.message,
      }));
    }
    if (err instanceof AppError && err.expose) return [{ line, field: '', message: err.message }];
    throw err; // unexpected: let the job retry from the last checkpoint
  }

  return {
    /** The template CSV, its example in a real category of this site (so it imports cleanly). */
    async template(): Promise<string> {
      return importTemplate(templateCategory(await deps.categories.list()));
    },

    async createImport(actor: Actor, file: { name: string; content: Buffer }): Promise<ImportJob> {
      if (!actor.shopId) throw new ForbiddenError('Open a shop before importing products');
      let records: string[][];
      try {
        records = parseSync(file.content, { bom: true, skip_empty_lines: true, relax_column_count: true });
      } catch (err) {
        throw csvError(`Not a readable CSV file: ${(err as Error).message}`);
      }
      const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
      const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
      if (missing.length) {
        throw csvError(`The file is missing column(s): ${missing.join(', ')}`);
      }
      const unknown = header.filter((h) => !(IMPORT_COLUMNS as readonly string[]).includes(h));
      if (unknown.length) {
        throw csvError(`The file has unknown column(s): ${unknown.join(', ')}`);
      }
      if (records.length < 2) throw csvError('The file has a header but no rows');

      const id = newId('imp');
      await mkdir(dir, { recursive: true });
      const filePath = path.join(dir, `${id}.csv`);
      await writeFile(filePath, file.content);
      const doc: ImportDoc = {
        _id: id,
        sellerId: actor.id,
        shopId: actor.shopId,
        fileName: file.name.slice(0, 200),
        filePath,
        status: 'queued',
        totalRows: records.length - 1,
        processedRows: 0,
        succeeded: 0,
        failed: 0,
        rowErrors: [],
        errorsTruncated: false,
        failureReason: null,
        createdAt: now(),
        startedAt: null,
        finishedAt: null,
      };
      try {
        await Imports.create(doc);
        await deps.queue.enqueue(
          IMPORT_JOB,
          { importId: id },
          { dedupeKey: `import:${id}`, maxAttempts: IMPORT_MAX_ATTEMPTS },
        );
      } catch (err) {
        await Imports.deleteOne({ _id: id }).catch(() => undefined);
        await rm(filePath, { force: true });
        throw err;
      }
      await publishProgress(doc);
      return toImportJob(doc);
    },

    async getImport(actor: Actor, id: string): Promise<ImportJob> {
      const doc = await Imports.findById(id).lean<ImportDoc>();
      if (!doc || (doc.sellerId !== actor.id && !actor.roles.includes('admin')))
        throw new NotFoundError('Import');
      return toImportJob(doc);
    },

    /** The import's row errors as a CSV file (see `importErrorsCsv`). */
    async errorReport(actor: Actor, id: string): Promise<{ fileName: string; csv: string }> {
      const job = await this.getImport(actor, id);
      const base = job.fileName.replace(/\.csv$/i, '') || 'import';
      return { fileName: `${base}-errors.csv`, csv: importErrorsCsv(job) };
    },

    async listImports(actor: Actor, limit = 20): Promise<ImportJob[]> {
      const docs = await Imports.find({ sellerId: actor.id })
        .sort({ createdAt: -1 })
        .limit(limit)
        .lean<ImportDoc[]>();
      return docs.map(toImportJob);
    },

    /** The job handler: applies rows from the last checkpoint on. */
    async runImport(
      payload: { importId: string },
      ctx: JobContext,
    ): Promise<{ succeeded: number; failed: number }> {
      const found = await Imports.findById(payload.importId).lean<ImportDoc>();
      if (!found) return { succeeded: 0, failed: 0 }; // deleted meanwhile: nothing to do
      const doc: ImportDoc = found;
      if (doc.status === 'completed' || doc.status === 'failed')
        return { succeeded: doc.succeeded, failed: doc.failed };
      const actor: Actor = { id: doc.sellerId, roles: ['seller'], shopId: doc.shopId };
      const resumeAt = doc.processedRows;
      // Errors recorded after the checkpoint belong to rows we are about to apply again.
      doc.rowErrors = (doc.rowErrors ?? []).filter((e) => e.line < resumeAt + 2);
      doc.status = 'running';
      doc.startedAt ??= now();
      await Imports.updateOne({ _id: doc._id }, { $set: { status: 'running', startedAt: doc.startedAt } });
      await publishProgress(doc);

      const parser = createReadStream(doc.filePath).pipe(
        parse({
          bom: true,
          columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
          skip_empty_lines: true,
          relax_column_count: true,
          trim: true,
          info: true,
        }),
      );
      let index = 0;
      const checkpoint = async () => {
        await Imports.updateOne(
          { _id: doc._id },
          {
            $set: {
              processedRows: doc.processedRows,
              succeeded: doc.succeeded,
              failed: doc.failed,
              rowErrors: doc.rowErrors,
              errorsTruncated: doc.errorsTruncated,
            },
          },
        );
        await publishProgress(doc);
        await ctx.heartbeat();
      };
      // Rows are applied a batch at a time, concurrently except for rows of the same product (handle),
      // which run in file order. The checkpoint only ever lands on a batch boundary.
      const applyBatch = async (batch: { line: number; record: Record<string, string> }[]) => {
        const chains = new Map<string, Promise<unknown>>();
        const results = await Promise.all(
          batch.map(({ line, record }) => {
            const parsed = ImportRowSchema.safeParse(cleanRecord(record));
            if (!parsed.success) {
              return parsed.error.issues.map((i) => ({
                line,
                field: String(i.path[0] ?? ''),
                message: i.message,
              }));
            }
            const key = parsed.data.handle || parsed.data.sku;
            const run = (chains.get(key) ?? Promise.resolve()).then(() =>
              applyRow(actor, parsed.data).then(
                () => [] as ImportRowError[],
                (err: unknown) => rowErrors(line, err),
              ),
            );
            chains.set(
              key,
              run.catch(() => undefined),
            );
            return run;
          }),
        );
        for (const errors of results) {
          doc.processedRows++;
          if (!errors.length) {
            doc.succeeded++;
            continue;
          }
          doc.failed++;
          const room = MAX_STORED_ERRORS - doc.rowErrors.length;
          doc.rowErrors.push(...errors.slice(0, Math.max(0, room)));
          if (errors.length > room) doc.errorsTruncated = true;
        }
        // The lease is kept by time, not by rows: on a busy machine fifty rows can outlast it.
        if (doc.processedRows % CHECKPOINT_EVERY === 0) await checkpoint();
        else await ctx.heartbeat();
      };

      let batch: { line: number; record: Record<string, string> }[] = [];
      for await (const { record, info } of parser as AsyncIterable<{
        record: Record<string, string>;
        info: { lines: number };
      }>) {
        if (ctx.signal.aborted) throw new Error('import interrupted; it resumes from the last checkpoint');
        if (index++ < resumeAt) continue;
        batch.push({ line: info.lines, record });
        if (batch.length === APPLY_CONCURRENCY) {
          await applyBatch(batch);
          batch = [];
        }
      }
      if (batch.length) await applyBatch(batch);
      await deps.readModelsSettled?.();
      doc.status = 'completed';
      doc.finishedAt = now();
      doc.totalRows = doc.processedRows;
      await Imports.updateOne(
        { _id: doc._id },
        {
          $set: {
            status: 'completed',
            finishedAt: doc.finishedAt,
            totalRows: doc.totalRows,
            processedRows: doc.processedRows,
            succeeded: doc.succeeded,
            failed: doc.failed,
            rowErrors: doc.rowErrors,
            errorsTruncated: doc.errorsTruncated,
          },
        },
      );
      await publishProgress(doc);
      return { succeeded: doc.succeeded, failed: doc.failed };
    },

    /** Called when the queue gives up on an import (dead letter): the seller sees it failed. */
    async markFailed(importId: string, reason: string) {
      await Imports.updateOne(
        { _id: importId },
        { $set: { status: 'failed', failureReason: reason, finishedAt: now() } },
      );
      const doc = await Imports.findById(importId).lean<ImportDoc>();
      if (doc) await publishProgress(doc);
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
