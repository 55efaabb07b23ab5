#!/usr/bin/python3
# Seeds a fresh Tryton 6.0 database (modules already activated by trytond-admin) with the second
# company of the demo dataset: the JSON that tryton/seed-data.ts writes from the TypeScript seed
# (emulators/seed/second-company.ts), in Business Central API v2.0 shapes. Run in-process with
# Debian's /usr/bin/python3 before the server starts: proteus drives the set-up wizards (company,
# chart of accounts), then one ORM transaction creates everything else through Tryton's own
# workflows (sale quote/confirm/process, shipment pack/done, invoice post, invoice payment), which
# is some twenty times faster than the same calls over JSON-RPC.
#
# What the seed says and how it lands in Tryton:
# - customers -> party.party (code = customer number, invoice address, phone, e-mail, customer
#   payment term, credit limit per company; a customer that is not tax liable gets the "Resale"
#   customer tax rule, which drops the sales tax). Tryton has no customer block (credit hold): the
#   seed's blocked flag has no Tryton equivalent and is not carried over.
# - items -> product.template/product.product (code = item number, unit PCS, list price, cost
#   price, category); a blocked item is deactivated. Stock comes from one inventory dated before the
#   first order, sized so that after the seeded shipments each item holds the seed's quantity.
# - sales orders -> sale.sale with the seed's number and reference (externalDocumentNumber):
#   'Draft' stays a quotation, 'Open' is confirmed (not yet processed), 'Released' is processed;
#   line discounts use sale_discount (base price and unit price).
# - shipments -> stock.shipment.out done on the seed's day, with the seed's number, lots (stock_lot)
#   and the carrier's tracking number in the shipment's reference (the modules used here have no
#   carrier or tracking field). The warehouse ships from storage directly (no picking step).
# - invoices -> the invoice Tryton makes from the shipped lines (invoice method "on shipment"),
#   posted with the seed's number and date; paid or partly paid by cash payments as the seed says.
# The credit limits are set last, so Tryton's own credit check does not refuse seeded history.
import argparse
import datetime as dt
import json
import sys
from decimal import ROUND_HALF_UP, Decimal

from proteus import Model, Wizard
from proteus import config as proteus_config

try:
    import phonenumbers
except ImportError:  # Tryton validates phone numbers only when phonenumbers is installed
    phonenumbers = None

CENT = Decimal('0.01')
PRICE = Decimal('0.0001')


def money(value):
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def day(text):
    return dt.date.fromisoformat(text[:10])


def phone_type(value, country):
    """'phone' for a number Tryton accepts as one; the demo's invented numbers are kept as 'other'."""
    if phonenumbers is None:
        return 'phone'
    try:
        return 'phone' if phonenumbers.is_valid_number(phonenumbers.parse(value, country or None)) else 'other'
    except phonenumbers.NumberParseException:
        return 'other'


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--config', required=True, help='trytond configuration file')
    parser.add_argument('--database', required=True)
    parser.add_argument('--data', required=True, help='seed JSON (tryton/seed-data.ts)')
    parser.add_argument('--integration-login', required=True)
    parser.add_argument('--integration-password-file', required=True)
    parser.add_argument('--admin-password-file', required=True)
    return parser.parse_args()


# ----------------------------------------------------------------------------- set-up (proteus)

def setup_company(data):
    Currency = Model.get('currency.currency')
    Party = Model.get('party.party')
    usd = Currency(name='U.S. Dollar', code='USD', symbol='$', rounding=CENT, digits=2)
    usd.save()
    company_config = Wizard('company.company.config')
    company_config.execute('company')
    company_party = Party(name=data['erp']['company']['name'])
    company_party.save()
    company_config.form.party = company_party
    company_config.form.currency = usd
    company_config.execute('add')
    Company = Model.get('company.company')
    company, = Company.find()
    User = Model.get('res.user')
    proteus_config.get_config()._context = User.get_preferences(True, {})
    return company


def setup_chart(company):
    AccountTemplate = Model.get('account.account.template')
    ModelData = Model.get('ir.model.data')
    Account = Model.get('account.account')
    data, = ModelData.find([('module', '=', 'account'), ('fs_id', '=', 'account_template_root_en')], limit=1)
    create_chart = Wizard('account.create_chart')
    create_chart.execute('account')
    create_chart.form.account_template = AccountTemplate(data.db_id)
    create_chart.form.company = company
    create_chart.execute('create_account')
    receivable, = Account.find([('type.receivable', '=', True), ('company', '=', company.id)], limit=1)
    payable, = Account.find([('type.payable', '=', True), ('company', '=', company.id)], limit=1)
    create_chart.form.account_receivable = receivable
    create_chart.form.account_payable = payable
    create_chart.execute('create_properties')


def setup_fiscal_years(company, first_year, last_year):
    """One fiscal year per calendar year, with monthly periods and one invoice sequence for all."""
    FiscalYear = Model.get('account.fiscalyear')
    Sequence = Model.get('ir.sequence')
    SequenceStrict = Model.get('ir.sequence.strict')
    SequenceType = Model.get('ir.sequence.type')
    move_type, = SequenceType.find([('name', '=', 'Account Move')], limit=1)
    invoice_type, = SequenceType.find([('name', '=', 'Invoice')], limit=1)
    invoice_sequence = SequenceStrict(
        name='Customer Invoices', sequence_type=invoice_type, company=company, prefix='TIN-', padding=6,
        number_next=100001)
    invoice_sequence.save()
    for year in range(first_year, last_year + 1):
        # Tryton wants a post move sequence of its own per fiscal year.
        move_sequence = Sequence(name='Account Moves %d' % year, sequence_type=move_type, company=company)
        move_sequence.save()
        fiscal_year = FiscalYear(
            name=str(year), start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31), company=company,
            post_move_sequence=move_sequence)
        seq, = fiscal_year.invoice_sequences
        seq.out_invoice_sequence = invoice_sequence
        seq.in_invoice_sequence = invoice_sequence
        seq.out_credit_note_sequence = invoice_sequence
        seq.in_credit_note_sequence = invoice_sequence
        fiscal_year.save()
        fiscal_year.click('create_period')
    return invoice_sequence


# ----------------------------------------------------------------------------- the ORM phase

class Seeder:
    def __init__(self, pool, data, company_id):
        self.pool = pool
        self.data = data
        self.erp = data['erp']
        self.company_id = company_id
        # Ids only: each order is seeded in a transaction of its own (a long transaction makes
        # Tryton's ORM slower with every record), and instances belong to their transaction.
        self.ids = {}
        self.product_ids = {}
        self.party_ids = {}

    def instance(self, model, key):
        return self.pool.get(model)(self.ids[key])

    def bind(self):
        """The instances one transaction works with."""
        self.company = self.pool.get('company.company')(self.company_id)
        self.usd = self.company.currency
        self.warehouse = self.instance('stock.location', 'warehouse')
        self.pcs = self.instance('product.uom', 'pcs')
        self.payment_method = self.instance('account.invoice.payment.method', 'payment_method')

    def product(self, code):
        return self.pool.get('product.product')(self.product_ids[code])

    def party(self, code):
        return self.pool.get('party.party')(self.party_ids[code])

    # --- reference data

    def setup_accounting(self):
        pool = self.pool
        Account = pool.get('account.account')
        Tax = pool.get('account.tax')
        TaxRule = pool.get('account.tax.rule')
        Journal = pool.get('account.journal')
        PaymentMethod = pool.get('account.invoice.payment.method')
        Configuration = pool.get('account.configuration')

        def account(domain):
            found = Account.search([('company', '=', self.company_id)] + domain, limit=1)
            return found[0]

        self.ids['revenue'] = account([('type.revenue', '=', True)]).id
        self.ids['expense'] = account([('type.expense', '=', True)]).id
        cash = account([('name', '=', 'Main Cash')])
        tax_account = account([('name', '=', 'Main Tax')])
        rate = Decimal(str(self.data['taxPercent'])) / 100
        sales_tax, = Tax.create([{
            'name': 'Sales Tax', 'description': 'Sales Tax %s%%' % self.data['taxPercent'],
            'type': 'percentage', 'rate': rate, 'company': self.company_id,
            'invoice_account': tax_account.id, 'credit_note_account': tax_account.id,
        }])
        # A reseller buys for resale (exemption certificate): no sales tax on its sales.
        resale_rule, = TaxRule.create([{
            'name': 'Resale (exempt)', 'kind': 'sale', 'company': self.company_id,
            'lines': [('create', [{'origin_tax': sales_tax.id, 'tax': None}])],
        }])
        self.ids['sales_tax'] = sales_tax.id
        self.ids['resale_rule'] = resale_rule.id
        # The seed taxes a document's net total once (half up), not line by line.
        config = Configuration(1)
        config.tax_rounding = 'document'
        config.save()
        journal, = Journal.search([('type', '=', 'cash')], limit=1)
        payment_method, = PaymentMethod.create([{
            'name': 'Bank transfer', 'company': self.company_id, 'journal': journal.id,
            'credit_account': cash.id, 'debit_account': cash.id,
        }])
        self.ids['payment_method'] = payment_method.id

    def setup_payment_terms(self):
        PaymentTerm = self.pool.get('account.invoice.payment_term')
        self.term_ids = {}
        for term in self.erp['paymentTerms']:
            days = int(term['dueDateCalculation'].rstrip('D') or 0)
            created, = PaymentTerm.create([{
                'name': term['code'], 'description': term['displayName'],
                'lines': [('create', [{
                    'type': 'remainder',
                    'relativedeltas': [('create', [{'days': days}])] if days else [],
                }])],
            }])
            self.term_ids[term['id']] = created.id

    def setup_stock(self):
        pool = self.pool
        Location = pool.get('stock.location')
        Uom = pool.get('product.uom')
        UomCategory = pool.get('product.uom.category')
        warehouse, = Location.search([('type', '=', 'warehouse')], limit=1)
        # Ship straight from storage: no picking step, outgoing moves only (stock/shipment.py).
        warehouse.output_location = warehouse.storage_location
        warehouse.save()
        self.ids['warehouse'] = warehouse.id
        self.ids['storage'] = warehouse.storage_location.id
        units, = UomCategory.search([('name', '=', 'Units')], limit=1)
        pcs, = Uom.create([{
            'name': 'Piece', 'symbol': 'PCS', 'category': units.id, 'rate': 1, 'factor': 1, 'rounding': 1, 'digits': 0,
        }])
        self.ids['pcs'] = pcs.id

    def setup_sequences(self):
        """Documents the seed does not number (made later, in Tryton or by the adapter) continue its series."""
        pool = self.pool
        Sequence = pool.get('ir.sequence')
        SaleConfig = pool.get('sale.configuration')
        StockConfig = pool.get('stock.configuration')
        PartyConfig = pool.get('party.configuration')

        def after(numbers, prefix):
            counters = [int(n[len(prefix):]) for n in numbers if n.startswith(prefix) and n[len(prefix):].isdigit()]
            return max(counters, default=100000) + 1

        erp = self.erp
        sale_config = SaleConfig(1)
        sale_seq = sale_config.sale_sequence
        Sequence.write([sale_seq], {
            'prefix': 'TSO-', 'padding': 6, 'number_next': after([o['number'] for o in erp['salesOrders']], 'TSO-')})
        stock_config = StockConfig(1)
        Sequence.write([stock_config.shipment_out_sequence], {
            'prefix': 'TSH-', 'padding': 6,
            'number_next': after([s['number'] for s in erp['salesShipments']], 'TSH-')})
        party_config = PartyConfig(1)
        if party_config.party_sequence:
            Sequence.write([party_config.party_sequence], {
                'prefix': 'T', 'padding': 5,
                'number_next': after([c['number'] for c in erp['customers']], 'T')})

    # --- master data

    def create_products(self):
        pool = self.pool
        Category = pool.get('product.category')
        Template = pool.get('product.template')
        Product = pool.get('product.product')
        account_category, = Category.create([{
            'name': 'Goods (taxed)', 'accounting': True,
            'account_revenue': self.ids['revenue'], 'account_expense': self.ids['expense'],
            'customer_taxes': [('add', [self.ids['sales_tax']])],
        }])
        categories = {}
        for item in self.erp['items']:
            code = item['itemCategoryCode']
            if code and code not in categories:
                categories[code], = Category.create([{'name': code}])
        values = []
        for item in self.erp['items']:
            values.append({
                'name': item['displayName'], 'code': item['number'], 'type': 'goods', 'salable': True,
                'default_uom': self.ids['pcs'], 'sale_uom': self.ids['pcs'],
                'list_price': Decimal(str(item['unitPrice'])),
                'account_category': account_category.id,
                'categories': [('add', [categories[item['itemCategoryCode']].id])] if item['itemCategoryCode'] else [],
                'products': [('create', [{'cost_price': Decimal(str(item['unitCost']))}])],
            })
        Template.create(values)
        self.product_ids = {p.code: p.id for p in Product.search([])}

    def create_customers(self):
        pool = self.pool
        Party = pool.get('party.party')
        Country = pool.get('country.country')
        Subdivision = pool.get('country.subdivision')
        countries, subdivisions = {}, {}

        def country(code):
            if code and code not in countries:
                countries[code], = Country.create([{'name': code, 'code': code}])
            return countries.get(code)

        def subdivision(country_code, code):
            key = (country_code, code)
            if code and country_code and key not in subdivisions:
                subdivisions[key], = Subdivision.create([{
                    'name': code, 'code': '%s-%s' % (country_code, code), 'type': 'state',
                    'country': country(country_code).id}])
            return subdivisions.get(key)

        values = []
        for c in self.erp['customers']:
            street = '\n'.join(part for part in (c['addressLine1'], c['addressLine2']) if part)
            contacts = [{'type': phone_type(c['phoneNumber'], c['country']), 'value': c['phoneNumber']}] if c['phoneNumber'] else []
            if c['email']:
                contacts.append({'type': 'email', 'value': c['email']})
            land = country(c['country'])
            state = subdivision(c['country'], c['state'])
            values.append({
                'name': c['displayName'], 'code': c['number'],
                'addresses': [('create', [{
                    'street': street or None, 'city': c['city'] or None, 'postal_code': c['postalCode'] or None,
                    'country': land.id if land else None, 'subdivision': state.id if state else None,
                }])],
                'contact_mechanisms': [('create', contacts)],
                'customer_payment_term': self.term_ids.get(c['paymentTermsId']),
                'customer_tax_rule': None if c['taxLiable'] else self.ids['resale_rule'],
            })
        Party.create(values)
        self.party_ids = {p.code: p.id for p in Party.search([('code', 'in', [c['number'] for c in self.erp['customers']])])}

    def stock_items(self, first_day):
        """One inventory before the first order: the seed's stock plus what the seeded shipments take."""
        Inventory = self.pool.get('stock.inventory')
        shipped = {}
        for shipment in self.erp['salesShipments']:
            for line in shipment['salesShipmentLines']:
                shipped[line['lineObjectNumber']] = shipped.get(line['lineObjectNumber'], 0) + line['quantity']
        lines = []
        for item in self.erp['items']:
            quantity = item['inventory'] + shipped.get(item['number'], 0)
            if quantity > 0:
                lines.append({'product': self.product_ids[item['number']], 'quantity': quantity})
        inventory, = Inventory.create([{
            'location': self.ids['storage'], 'date': first_day, 'company': self.company_id,
            'lines': [('create', lines)],
        }])
        Inventory.confirm([inventory])

    # --- documents

    def orders(self):
        """The seed's orders, oldest first (stock, moves and payments happen in the order of their
        days), each with its shipments and invoice."""
        shipments, invoices = {}, {}
        for shipment in self.erp['salesShipments']:
            shipments.setdefault(shipment['orderNumber'], []).append(shipment)
        for invoice in self.erp['salesInvoices']:
            invoices[invoice['orderNumber']] = invoice
        for order in sorted(self.erp['salesOrders'], key=lambda o: (o['orderDate'], o['number'])):
            yield order, shipments.get(order['number'], []), invoices.get(order['number'])

    def create_sale(self, order, seeded_shipments, seeded_invoice):
        pool = self.pool
        Sale = pool.get('sale.sale')
        Line = pool.get('sale.line')
        party = self.party(order['customerNumber'])
        address = party.addresses[0]
        # The product's sales tax, unless the customer's tax rule (resale) drops it: what the
        # line's on_change_product would set, without its cost.
        taxes = [] if party.customer_tax_rule else [self.instance('account.tax', 'sales_tax')]
        sale = Sale(
            company=self.company, party=party, number=order['number'],
            reference=order['externalDocumentNumber'] or None,
            sale_date=day(order['orderDate']), shipping_date=day(order['requestedDeliveryDate']),
            invoice_address=address, shipment_address=address, currency=self.usd,
            payment_term=party.customer_payment_term, warehouse=self.warehouse,
            invoice_method='shipment', shipment_method='order')
        lines = []
        for seeded in order['salesOrderLines']:
            line = Line(sale=sale, type='line', product=self.product(seeded['lineObjectNumber']),
                        quantity=float(seeded['quantity']), unit=self.pcs, taxes=taxes)
            base = Decimal(str(seeded['unitPrice'])).quantize(PRICE)
            discount = Decimal(str(seeded['discountPercent']))
            line.base_price = base
            line.unit_price = (base * (1 - discount / 100)).quantize(PRICE, rounding=ROUND_HALF_UP)
            line.description = seeded['description']
            lines.append(line)
        sale.lines = lines
        sale.save()
        Sale.quote([sale])
        if order['status'] == 'Draft':
            return
        Sale.confirm([sale])
        if order['status'] == 'Open':
            # Confirmed, not yet processed (Tryton processes confirmed sales on its queue, later).
            return
        Sale.process([sale])
        self.ship(Sale(sale.id), seeded_shipments)
        if seeded_invoice:
            # Makes the invoice of the shipped lines (invoice method "on shipment").
            Sale.process([Sale(sale.id)])
            self.invoice(Sale(sale.id), seeded_invoice)

    def ship(self, sale, seeded_shipments):
        """Splits the sale's waiting shipment into the seed's shipments (same lines, same quantities)."""
        pool = self.pool
        Shipment = pool.get('stock.shipment.out')
        Move = pool.get('stock.move')
        Lot = pool.get('stock.lot')
        if not seeded_shipments:
            return
        waiting, = [s for s in sale.shipments if s.state == 'waiting']
        moves = {m.product.code: m for m in waiting.outgoing_moves}
        used = set()
        shipments = []
        for index, seeded in enumerate(sorted(seeded_shipments, key=lambda s: (s['shipmentDate'], s['number']))):
            shipment = waiting if index == 0 else Shipment(
                company=self.company, customer=sale.party, delivery_address=waiting.delivery_address,
                warehouse=self.warehouse)
            when = day(seeded['shipmentDate'])
            shipment.number = seeded['number']
            shipment.reference = seeded['packageTrackingNo'] or None
            shipment.planned_date = when
            shipment.effective_date = when
            shipment.save()
            shipments.append(shipment)
            for line in seeded['salesShipmentLines']:
                move = moves[line['lineObjectNumber']]
                used.add(move.id)
                lots = line['lotNumbers'] or [None]
                quantity = line['quantity']
                # Several lots: the quantity split evenly between them, one move each.
                shares = [quantity // len(lots) + (1 if i < quantity % len(lots) else 0) for i in range(len(lots))]
                for k, (lot_number, share) in enumerate(zip(lots, shares)):
                    if share <= 0:
                        continue
                    target = move if k == 0 else Move.copy([move], default={'quantity': share})[0]
                    target.quantity = float(share)
                    target.shipment = shipment
                    target.effective_date = when
                    target.planned_date = when
                    if lot_number:
                        target.lot, = Lot.create([{'number': lot_number, 'product': target.product.id}])
                    target.save()
        # Lines the seed has not shipped (yet) leave the shipment: with a partial shipment the rest
        # of the order simply waits.
        leftover = [m for m in moves.values() if m.id not in used]
        if leftover:
            Move.delete(leftover)
        for shipment in shipments:
            # Read afresh: the instances above still hold their moves as they were when saved.
            shipment = Shipment(shipment.id)
            if shipment.state == 'draft':
                Shipment.wait([shipment])
            Shipment.pack([Shipment(shipment.id)])
            Shipment.done([Shipment(shipment.id)])

    def invoice(self, sale, seeded):
        pool = self.pool
        Invoice = pool.get('account.invoice')
        drafts = [i for i in sale.invoices if i.state == 'draft']
        if len(drafts) != 1:
            raise RuntimeError('sale %s: expected one draft invoice, got %d' % (sale.number, len(drafts)))
        invoice, = drafts
        invoice.number = seeded['number']
        invoice.invoice_date = day(seeded['invoiceDate'])
        invoice.accounting_date = day(seeded['postingDate'])
        invoice.save()
        Invoice.post([invoice])
        invoice = Invoice(invoice.id)
        total = money(seeded['totalAmountIncludingTax'])
        # Tryton rounds the tax half to even, the seed half up: a cent apart at most.
        if abs(invoice.total_amount - total) > CENT:
            raise RuntimeError('invoice %s: Tryton totals %s, the seed %s' % (seeded['number'], invoice.total_amount, total))
        paid = invoice.total_amount if seeded['remainingAmount'] == 0 else total - money(seeded['remainingAmount'])
        if paid > 0:
            when = max(day(seeded['lastModifiedDateTime']), invoice.invoice_date)
            lines = invoice.pay_invoice(paid, self.payment_method, when, 'Payment %s' % seeded['number'])
            if paid == invoice.total_amount:
                MoveLine = pool.get('account.move.line')
                MoveLine.reconcile(list(invoice.lines_to_pay) + list(lines))
                # What the reconciliation queues (the seeder runs no queue): the invoice is paid.
                Invoice.process([Invoice(invoice.id)])

    def finish(self, integration_login, integration_password, admin_password):
        pool = self.pool
        Party = pool.get('party.party')
        Template = pool.get('product.template')
        Queue = pool.get('ir.queue')
        User = pool.get('res.user')
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        # Credit limits last: Tryton checks them when a sale is confirmed, and the seed's history
        # includes customers it has since put over their limit.
        limits = {c['number']: c['creditLimit'] for c in self.erp['customers']}
        parties = [self.party(code) for code in self.party_ids]
        for party in parties:
            party.credit_limit_amount = Decimal(str(limits[party.code])) if limits[party.code] else None
        Party.save(parties)
        blocked = {i['number'] for i in self.erp['items'] if i['blocked']}
        Product = pool.get('product.product')
        blocked_products = [self.product(code) for code in self.product_ids if code in blocked]
        Product.write(blocked_products, {'active': False})
        Template.write([p.template for p in blocked_products], {'active': False})
        # The seed's "Open" orders stay confirmed: drop the processing it queued (nothing runs a
        # queue worker here; the server would otherwise run them on the next request's commit).
        Queue.delete(Queue.search([]))
        groups = [Group(ModelData.get_id(module, fs_id)) for module, fs_id in (
            ('sale', 'group_sale'), ('stock', 'group_stock'), ('account', 'group_account'),
            ('product', 'group_product_admin'), ('party', 'group_party_admin'))]
        # The administrator's password is this data folder's (the empty database may be older).
        admin, = User.search([('login', '=', 'admin')])
        User.write([admin], {'password': admin_password})
        User.create([{
            'name': 'Customer 360 integration', 'login': integration_login, 'password': integration_password,
            'groups': [('add', [g.id for g in groups])],
            'companies': [('add', [self.company_id])], 'company': self.company_id,
        }])


def main():
    args = parse_args()
    with open(args.data, encoding='utf-8') as handle:
        data = json.load(handle)
    with open(args.integration_password_file, encoding='utf-8') as handle:
        integration_password = handle.read().strip()
    with open(args.admin_password_file, encoding='utf-8') as handle:
        admin_password = handle.read().strip()
    erp = data['erp']
    dates = [o['orderDate'] for o in erp['salesOrders']] + [i['invoiceDate'] for i in erp['salesInvoices']]
    dates += [i['lastModifiedDateTime'][:10] for i in erp['salesInvoices']] + [data['today']]
    first_day = min(day(d) for d in dates) - dt.timedelta(days=1)
    last_day = max(day(d) for d in dates)

    proteus_config.set_trytond(database=args.database, config_file=args.config)
    company = setup_company(data)
    setup_chart(company)
    setup_fiscal_years(company, first_day.year, last_day.year + 1)

    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(args.database)
    User = pool.get('res.user')
    with Transaction().start(args.database, 0, readonly=True):
        admin, = User.search([('login', '=', 'admin')])
        admin_id = admin.id
    context = {'company': company.id, 'language': 'en', '_skip_warnings': True}
    seeder = Seeder(pool, data, company.id)

    def step(work):
        with Transaction().start(args.database, admin_id, context=context) as transaction:
            work()
            # Processing queued by confirmations: the seeder runs what it wants itself.
            transaction.tasks.clear()
            transaction.commit()

    def reference_data():
        seeder.setup_accounting()
        seeder.setup_payment_terms()
        seeder.setup_stock()
        seeder.setup_sequences()
        seeder.bind()
        seeder.create_products()
        seeder.create_customers()
        seeder.stock_items(first_day)

    step(reference_data)
    for order, shipments, invoice in seeder.orders():
        step(lambda: (seeder.bind(), seeder.create_sale(order, shipments, invoice)))
    step(lambda: (seeder.bind(), seeder.finish(args.integration_login, integration_password, admin_password)))
    summary = {k: len(erp[k]) for k in ('customers', 'items', 'salesOrders', 'salesShipments', 'salesInvoices')}
    print('seeded %s' % json.dumps(summary))


if __name__ == '__main__':
    sys.exit(main())
